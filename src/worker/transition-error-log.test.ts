import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { MAX_TRANSITION_ERRORS, type TransitionError } from '../core/model/transition-errors.js';
import { TransitionErrorLog, transitionErrorsPath } from './transition-error-log.js';

const dirs: string[] = [];
afterEach(() => {
  for (const d of dirs.splice(0)) fs.rmSync(d, { recursive: true, force: true });
});

const entry = (timeMs: number, message = `lag ${timeMs}`): TransitionError => ({ timeMs, operation: 'promote', code: 'TIMEOUT', message, mirrorCreatedAt: 'c' });

describe('TransitionErrorLog', () => {
  it('appends per mirror, bounded, scrubs secrets, and writes a private file', async () => {
    const stateDir = fs.mkdtempSync(path.join(os.tmpdir(), 'clink-tel-'));
    dirs.push(stateDir);
    const log = new TransitionErrorLog(stateDir, async () => ['s3cr3t']);
    expect(await log.read('dr')).toEqual({});
    await log.record('dr', [{ topic: 'a', error: entry(1, 'auth failed with password s3cr3t') }, { topic: 'b', error: entry(1) }]);
    await Promise.all(Array.from({ length: MAX_TRANSITION_ERRORS + 2 }, (_, i) => log.record('dr', [{ topic: 'a', error: entry(i + 2) }])));
    const all = await log.read('dr');
    expect(all.a).toHaveLength(MAX_TRANSITION_ERRORS);
    expect(all.a!.map((e) => e.timeMs)).toEqual(Array.from({ length: MAX_TRANSITION_ERRORS }, (_, i) => i + 4));
    expect(all.b).toEqual([entry(1)]);
    const file = transitionErrorsPath(stateDir, 'dr');
    expect(fs.statSync(file).mode & 0o777).toBe(0o600);
    await log.record('dr', [{ topic: 'c', error: entry(99, 'password s3cr3t') }]);
    expect(fs.readFileSync(file, 'utf8')).not.toContain('s3cr3t');
    expect((await log.read('dr')).c![0]!.message).toBe('password ********');
  });

  it('reads a broken file as no errors', async () => {
    const stateDir = fs.mkdtempSync(path.join(os.tmpdir(), 'clink-tel-'));
    dirs.push(stateDir);
    const file = transitionErrorsPath(stateDir, 'dr');
    fs.mkdirSync(path.dirname(file), { recursive: true });
    fs.writeFileSync(file, '{not json');
    expect(await new TransitionErrorLog(stateDir, async () => []).read('dr')).toEqual({});
  });
});
