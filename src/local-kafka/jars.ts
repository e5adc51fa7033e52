/**
 * Resolves the Kafka runtime jars (broker, tools, MirrorMaker 2) from Maven Central into
 * kafka/libs-<version>, once. Invariant: the libs directory is either absent or complete — mvn writes
 * into a temporary sibling, a marker file is added, and only then is the directory renamed into
 * place, under a lock, so concurrent callers never see or produce a half-filled directory.
 */
import { execFile } from 'node:child_process';
import { existsSync } from 'node:fs';
import { readdir, rename, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { KafkaStartError } from './errors.js';
import { withLock } from './lock.js';
import { KAFKA_VERSION, paths } from './paths.js';
import { verifyJava, verifyMaven, type ToolCheckOptions } from './tools.js';

const run = promisify(execFile);
/** Written last into a complete libs directory: the jar count and when they were resolved. */
export const JARS_MARKER = '.complete';

export function jarsAreComplete(libsDir: string = paths.libsDir): boolean {
  return existsSync(join(libsDir, JARS_MARKER));
}

async function copyDependencies(outputDir: string, env: NodeJS.ProcessEnv): Promise<void> {
  const args = ['-q', '-B', '-f', paths.pom, 'dependency:copy-dependencies', `-DoutputDirectory=${outputDir}`, '-DincludeScope=runtime'];
  try {
    await run('mvn', args, { env, maxBuffer: 16 * 1024 * 1024, timeout: 15 * 60_000 });
  } catch (error) {
    const { stdout = '', stderr = '' } = error as { stdout?: string; stderr?: string };
    const tail = `${stdout}\n${stderr}`.trim().split('\n').slice(-30).join('\n');
    throw new KafkaStartError(`mvn could not resolve the Kafka ${KAFKA_VERSION} jars from Maven Central:\n${tail}`, {
      suggestion: `Check network access to repo.maven.apache.org, then run \`npm run kafka:jars\`.`,
      cause: error,
    });
  }
}

/** Returns the absolute libs directory, downloading the jars first if needed. */
export async function ensureKafkaJars(options: ToolCheckOptions = {}): Promise<string> {
  const libsDir = paths.libsDir;
  if (jarsAreComplete(libsDir)) return libsDir;
  return withLock(join(paths.locksDir, `libs-${KAFKA_VERSION}`), async () => {
    if (jarsAreComplete(libsDir)) return libsDir;
    const env = options.env ?? process.env;
    await verifyJava({ env });
    await verifyMaven({ env });
    const staging = `${libsDir}.tmp-${process.pid}`;
    await rm(staging, { recursive: true, force: true });
    try {
      await copyDependencies(staging, env);
      const jars = (await readdir(staging)).filter((name) => name.endsWith('.jar'));
      if (!jars.some((name) => name.startsWith(`kafka_2.13-${KAFKA_VERSION}`))) {
        throw new KafkaStartError(`mvn finished but kafka_2.13-${KAFKA_VERSION}.jar is missing from ${staging}`);
      }
      await writeFile(join(staging, JARS_MARKER), `${jars.length} jars, resolved ${new Date().toISOString()}\n`);
      const previous = `${libsDir}.old-${process.pid}`;
      if (existsSync(libsDir)) await rename(libsDir, previous);
      await rename(staging, libsDir);
      await rm(previous, { recursive: true, force: true });
      return libsDir;
    } finally {
      await rm(staging, { recursive: true, force: true });
    }
  });
}
