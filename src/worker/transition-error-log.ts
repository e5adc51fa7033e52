/**
 * The recorded errors of failed mirror state transitions of one link, in
 * `<stateDir>/links/<link>/transition-errors.json` (TransitionErrorLogPort). Written only by the CLI,
 * each change a read-modify-write under the file's lock, saved as a temporary file (0600) renamed
 * over the old one; the worker never reads or writes it. Invariants: at most MAX_TRANSITION_ERRORS
 * per mirror; a message is scrubbed of the secrets `secretsOf` names before it is written; a missing
 * or unreadable file reads as no errors (it is a record for people, never an input to a decision).
 */
import fs from 'node:fs';
import path from 'node:path';
import lockfile from 'proper-lockfile';
import type { TransitionErrorLogPort } from '../core/ports.js';
import { appendTransitionError, type TransitionError, type TransitionErrorsByTopic } from '../core/model/transition-errors.js';
import { ensureWorkerDir, workerPaths } from './state-dir.js';

export const TRANSITION_ERRORS_FILE = 'transition-errors.json';

export function transitionErrorsPath(stateDir: string, link: string): string {
  return path.join(workerPaths(stateDir, link).dir, TRANSITION_ERRORS_FILE);
}

function readFileAt(file: string): TransitionErrorsByTopic {
  try {
    const value = JSON.parse(fs.readFileSync(file, 'utf8')) as unknown;
    if (!value || typeof value !== 'object' || Array.isArray(value)) return {};
    const out: TransitionErrorsByTopic = {};
    for (const [topic, list] of Object.entries(value as Record<string, unknown>)) {
      if (Array.isArray(list)) out[topic] = list.filter((e): e is TransitionError => !!e && typeof (e as TransitionError).timeMs === 'number' && typeof (e as TransitionError).message === 'string');
    }
    return out;
  } catch {
    return {};
  }
}

function writeFileAt(file: string, value: TransitionErrorsByTopic): void {
  const tmp = `${file}.${process.pid}.tmp`;
  const fd = fs.openSync(tmp, 'w', 0o600);
  try {
    fs.fchmodSync(fd, 0o600);
    fs.writeFileSync(fd, JSON.stringify(value, null, 2) + '\n');
  } finally {
    fs.closeSync(fd);
  }
  fs.renameSync(tmp, file);
}

const scrub = (text: string, secrets: readonly string[]) =>
  [...secrets].filter((s) => s.length > 0).sort((a, b) => b.length - a.length).reduce((out, s) => out.split(s).join('********'), text);

export class TransitionErrorLog implements TransitionErrorLogPort {
  constructor(
    private readonly stateDir: string,
    /** The secret strings of the link's configs and clusters (never written). */
    private readonly secretsOf: (link: string) => Promise<readonly string[]>,
  ) {}

  async read(link: string): Promise<TransitionErrorsByTopic> {
    return readFileAt(transitionErrorsPath(this.stateDir, link));
  }

  async record(link: string, entries: ReadonlyArray<{ topic: string; error: TransitionError }>): Promise<void> {
    if (entries.length === 0) return;
    const secrets = await this.secretsOf(link);
    const { dir } = ensureWorkerDir(this.stateDir, link);
    const file = path.join(dir, TRANSITION_ERRORS_FILE);
    const release = await lockfile.lock(dir, {
      lockfilePath: `${file}.lock`,
      stale: 10_000,
      retries: { retries: 100, factor: 1.2, minTimeout: 10, maxTimeout: 200, randomize: true },
      realpath: false,
    });
    try {
      const all = readFileAt(file);
      for (const { topic, error } of entries) {
        all[topic] = appendTransitionError(all[topic] ?? [], { ...error, message: scrub(error.message, secrets) });
      }
      writeFileAt(file, all);
    } finally {
      await release();
    }
  }
}
