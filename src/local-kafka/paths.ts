/**
 * Where the local-Kafka tooling keeps things, all derived from this module's own location, so the
 * answers are the same from src/ (vitest) and from dist/ (npm scripts), and from any working directory.
 * Invariant: everything written at run time lives under `.clink-clusters/` or `kafka/libs-<version>*`,
 * both gitignored.
 */
import { existsSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

/** The Kafka release kafka/pom.xml resolves by default. */
export const KAFKA_VERSION = '4.1.1';

function findRepoRoot(start: string): string {
  for (let dir = start; ; dir = dirname(dir)) {
    if (existsSync(join(dir, 'package.json')) && existsSync(join(dir, 'kafka', 'pom.xml'))) return dir;
    if (dirname(dir) === dir) return resolve(start, '..', '..');
  }
}

export const repoRoot: string = findRepoRoot(dirname(fileURLToPath(import.meta.url)));

export const paths = {
  pom: join(repoRoot, 'kafka', 'pom.xml'),
  libsDir: join(repoRoot, 'kafka', `libs-${KAFKA_VERSION}`),
  /** Gitignored run-time state: locks, pid records, the storage template, `npm run clusters` state. */
  stateDir: join(repoRoot, '.clink-clusters'),
  locksDir: join(repoRoot, '.clink-clusters', 'locks'),
  pidsDir: join(repoRoot, '.clink-clusters', 'pids'),
  cacheDir: join(repoRoot, '.clink-clusters', 'cache'),
  clustersStateFile: join(repoRoot, '.clink-clusters', 'state.json'),
} as const;
