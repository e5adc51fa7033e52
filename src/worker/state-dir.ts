/**
 * Where one link's worker keeps its files: `<stateDir>/links/<link>/{worker.pid, worker.lock,
 * status.json, worker.log}`. Invariant: the directories exist with mode 0700 before any file in them
 * is written, and a path is only ever built from a valid link name (no separators, no `..`).
 */
import fs from 'node:fs';
import path from 'node:path';
import { assertValidName } from '../core/model/cluster.js';

export interface WorkerPaths {
  dir: string;
  pid: string;
  lock: string;
  status: string;
  log: string;
}

export function workerPaths(stateDir: string, link: string): WorkerPaths {
  assertValidName('cluster link', link);
  const dir = path.join(path.resolve(stateDir), 'links', link);
  return {
    dir,
    pid: path.join(dir, 'worker.pid'),
    lock: path.join(dir, 'worker.lock'),
    status: path.join(dir, 'status.json'),
    log: path.join(dir, 'worker.log'),
  };
}

/** Creates `<stateDir>`, `<stateDir>/links` and the link's directory, each 0700. */
export function ensureWorkerDir(stateDir: string, link: string): WorkerPaths {
  const paths = workerPaths(stateDir, link);
  const root = path.resolve(stateDir);
  for (const dir of [root, path.join(root, 'links'), paths.dir]) {
    fs.mkdirSync(dir, { recursive: true, mode: 0o700 });
    if ((fs.statSync(dir).mode & 0o777) !== 0o700) fs.chmodSync(dir, 0o700);
  }
  return paths;
}
