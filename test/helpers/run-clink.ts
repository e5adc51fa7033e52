/**
 * Runs the built CLI (`node bin/clink.js`) as a user would, in an isolated config directory, with
 * colour off and no terminal. Tests assert exit codes and compare stdout and stderr separately.
 * Every run is recorded (test/helpers/explain.ts), so a failing test prints the commands it ran,
 * their exit codes and stderr tails; a run that timed out says so.
 */
import { execa } from 'execa';
import { recordRun } from './explain.js';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

export const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..');
const bin = path.join(repoRoot, 'bin', 'clink.js');

export interface ClinkResult {
  exitCode: number;
  stdout: string;
  stderr: string;
}

export interface ClinkHome {
  configDir: string;
  run(args: string[], options?: { env?: Record<string, string>; input?: string; timeoutMs?: number }): Promise<ClinkResult>;
}

export function tempDir(prefix = 'clink-test-'): string {
  return fs.mkdtempSync(path.join(os.tmpdir(), prefix));
}

export function clinkHome(configDir = tempDir()): ClinkHome {
  return {
    configDir,
    async run(args, options = {}) {
      const started = Date.now();
      const timeout = options.timeoutMs ?? 60_000;
      const result = await execa(process.execPath, [bin, ...args], {
        reject: false,
        env: {
          CLINK_CONFIG_DIR: configDir,
          NO_COLOR: '1',
          FORCE_COLOR: '0',
          CLINK_CLUSTER: '',
          ...options.env,
        },
        extendEnv: true,
        input: options.input ?? '',
        timeout,
        stripFinalNewline: false,
      });
      recordRun({
        command: ['clink', ...args], exitCode: result.exitCode ?? null, signal: result.signal ?? null, stderr: String(result.stderr), ms: Date.now() - started,
        ...(result.timedOut ? { note: `timed out after ${timeout} ms` } : {}),
      });
      return { exitCode: result.exitCode ?? -1, stdout: String(result.stdout), stderr: String(result.stderr) };
    },
  };
}

/**
 * Replaces values that change between runs (ports, cluster ids, link ids, temp paths) with stable
 * tokens. A token shorter than its value is padded with spaces to the value's width, so human tables
 * keep their alignment (the values themselves have a fixed width: 22-character ids, 5-digit ports).
 */
export function normalise(text: string, replacements: Record<string, string> = {}, pad = true): string {
  let out = text;
  for (const [value, token] of Object.entries(replacements).sort((a, b) => b[0].length - a[0].length)) {
    if (value) out = out.split(value).join(pad ? token.padEnd(value.length, ' ') : token);
  }
  return out;
}
