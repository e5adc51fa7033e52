/**
 * The worker's status file, `<stateDir>/links/<link>/status.json`: written by the link's worker alone,
 * read by the CLI. Invariants: a write is a temporary file (mode 0600) renamed over the old one, so a
 * reader sees the previous or the new content in full, never a half-written file; a missing or
 * unparseable file reads as undefined.
 */
import fs from 'node:fs';
import type { WorkerStatusFile } from '../core/model/mirror.js';
import { workerPaths } from './state-dir.js';

export function writeStatusFileAt(file: string, status: WorkerStatusFile): void {
  const tmp = `${file}.${process.pid}.tmp`;
  const fd = fs.openSync(tmp, 'w', 0o600);
  try {
    fs.fchmodSync(fd, 0o600);
    fs.writeFileSync(fd, JSON.stringify(status, null, 2) + '\n');
  } finally {
    fs.closeSync(fd);
  }
  fs.renameSync(tmp, file);
}

export function readStatusFileAt(file: string): WorkerStatusFile | undefined {
  let text: string;
  try {
    text = fs.readFileSync(file, 'utf8');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw error;
  }
  try {
    const value = JSON.parse(text) as Partial<WorkerStatusFile> | null;
    if (!value || typeof value.link !== 'string' || typeof value.pid !== 'number' || typeof value.updatedAtMs !== 'number') {
      return undefined;
    }
    return { ...value, ready: value.ready === true, mirrors: value.mirrors ?? {} } as WorkerStatusFile;
  } catch {
    return undefined;
  }
}

/** The last status the link's worker wrote (the worker may have stopped since: check its pid). */
export function readStatusFile(stateDir: string, link: string): WorkerStatusFile | undefined {
  return readStatusFileAt(workerPaths(stateDir, link).status);
}
