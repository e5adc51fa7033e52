import { describe, expect, it } from 'vitest';
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { WorkerStatusFile } from '../core/model/mirror.js';
import { readStatusFile, readStatusFileAt, writeStatusFileAt } from './status-file.js';
import { workerPaths } from './state-dir.js';

const tmp = () => fs.mkdtempSync(path.join(os.tmpdir(), 'clink-status-'));

function status(n: number, mirrors = 0): WorkerStatusFile {
  const report = (i: number) => ({ mirrorTopic: `t${i}`, sourceTopic: `t${i}`, status: 'ACTIVE' as const, statusTimeMs: n, partitions: [] });
  return { link: 'l', pid: 42, startedAtMs: 1, updatedAtMs: n, ready: true, mirrors: Object.fromEntries(Array.from({ length: mirrors }, (_, i) => [`t${i}`, report(i)])) };
}

describe('status file', () => {
  it('reads what was written, and a missing or foreign file as undefined', () => {
    const dir = tmp();
    const file = path.join(dir, 'status.json');
    expect(readStatusFileAt(file)).toBeUndefined();
    writeStatusFileAt(file, status(7));
    expect(readStatusFileAt(file)).toEqual(status(7));
    fs.writeFileSync(file, '{"not":"a status"}');
    expect(readStatusFileAt(file)).toBeUndefined();
    fs.writeFileSync(file, '{"link":');
    expect(readStatusFileAt(file)).toBeUndefined();
  });

  it('replaces the file by rename (mode 0600, no temporary file left), never rewriting it in place', () => {
    const dir = tmp();
    const file = path.join(dir, 'status.json');
    writeStatusFileAt(file, status(1));
    const before = fs.statSync(file);
    const oldCopy = path.join(dir, 'old');
    fs.linkSync(file, oldCopy); // a second name for the old inode: an in-place write would change it
    writeStatusFileAt(file, status(2));
    expect(JSON.parse(fs.readFileSync(oldCopy, 'utf8'))).toEqual(status(1));
    expect(fs.statSync(file).ino).not.toBe(before.ino);
    expect(fs.statSync(file).mode & 0o777).toBe(0o600);
    expect(fs.readdirSync(dir).sort()).toEqual(['old', 'status.json']);
  });

  it('is never seen half-written by a reader in another process', async () => {
    const dir = tmp();
    const file = path.join(dir, 'status.json');
    writeStatusFileAt(file, status(0, 300)); // about 50 KB: many write() calls if it were written in place
    const reader = spawn(process.execPath, ['-e', `
      const fs = require('fs'); let ok = 0, bad = 0; const end = Date.now() + 700;
      while (Date.now() < end) { try { JSON.parse(fs.readFileSync(${JSON.stringify(file)}, 'utf8')); ok++; } catch { bad++; } }
      process.stdout.write(JSON.stringify({ ok, bad }));`]);
    let out = '';
    reader.stdout.on('data', (chunk: Buffer) => (out += chunk.toString()));
    let exited = false;
    const done = new Promise<void>((resolve) => reader.on('exit', () => ((exited = true), resolve())));
    let writes = 0;
    while (!exited) {
      for (let i = 0; i < 20; i++) writeStatusFileAt(file, status(++writes, 300));
      await new Promise((resolve) => setImmediate(resolve));
    }
    await done;
    const result = JSON.parse(out) as { ok: number; bad: number };
    expect(writes).toBeGreaterThan(50);
    expect(result.ok).toBeGreaterThan(0);
    expect(result.bad).toBe(0);
  });

  it('finds a link\'s file under <stateDir>/links/<link>/status.json', () => {
    const stateDir = tmp();
    expect(workerPaths(stateDir, 'dr-link').status).toBe(path.join(stateDir, 'links', 'dr-link', 'status.json'));
    expect(readStatusFile(stateDir, 'dr-link')).toBeUndefined();
    expect(() => workerPaths(stateDir, '../x')).toThrow(/invalid cluster link name/);
  });
});
