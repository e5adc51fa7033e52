import { describe, expect, it } from 'vitest';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { formatLogLine, LogFile } from './log-file.js';

const tmp = () => fs.mkdtempSync(path.join(os.tmpdir(), 'clink-log-'));
const at = new Date('2026-11-22T10:00:00.000Z');

describe('worker log', () => {
  it('writes one line per event: time, level, message, JSON fields', () => {
    expect(formatLogLine(at, 'info', 'worker ready', { mirrors: 2 })).toBe('2026-11-22T10:00:00.000Z INFO worker ready {"mirrors":2}\n');
    expect(formatLogLine(at, 'warn', 'no fields')).toBe('2026-11-22T10:00:00.000Z WARN no fields\n');
    expect(formatLogLine(at, 'error', 'two\nlines', { error: new Error('boom') })).toBe('2026-11-22T10:00:00.000Z ERROR two\\nlines {"error":"boom"}\n');
  });

  it('masks sensitive values at any depth', () => {
    const line = formatLogLine(at, 'info', 'x', {
      'sasl.jaas.config': 'PlainLoginModule required password="p4ss";',
      nested: { 'ssl.key.password': 'k3y', list: [{ 'basic.auth.user.info': 'u:pw' }], 'security.protocol': 'SASL_SSL' },
    });
    expect(line).not.toMatch(/p4ss|k3y|u:pw|PlainLoginModule/);
    expect(line).toContain('"security.protocol":"SASL_SSL"');
  });

  it('rotates to worker.log.1 before the file would pass its cap, keeping one old file', () => {
    const file = path.join(tmp(), 'worker.log');
    const log = new LogFile(file, { maxBytes: 300, now: () => at });
    for (let i = 0; i < 40; i++) log.info(`event number ${i}`, { i });
    const current = fs.readFileSync(file, 'utf8');
    const previous = fs.readFileSync(`${file}.1`, 'utf8');
    expect(Buffer.byteLength(current)).toBeLessThanOrEqual(300);
    expect(Buffer.byteLength(previous)).toBeLessThanOrEqual(300);
    expect(current.trimEnd().split('\n').at(-1)).toBe('2026-11-22T10:00:00.000Z INFO event number 39 {"i":39}');
    expect(previous.endsWith('\n') && current.startsWith('2026-')).toBe(true);
    expect(fs.readdirSync(path.dirname(file)).sort()).toEqual(['worker.log', 'worker.log.1']);
    expect(fs.statSync(file).mode & 0o777).toBe(0o600);
  });

  it('counts an existing file toward the cap, skips levels below the minimum, echoes lines', () => {
    const file = path.join(tmp(), 'worker.log');
    fs.writeFileSync(file, 'x'.repeat(250) + '\n');
    const echoed: string[] = [];
    const log = new LogFile(file, { maxBytes: 300, echo: (l) => echoed.push(l), now: () => at });
    log.debug('hidden');
    log.info('first line after the old content');
    expect(fs.readFileSync(`${file}.1`, 'utf8')).toBe('x'.repeat(250) + '\n');
    expect(echoed).toEqual(['2026-11-22T10:00:00.000Z INFO first line after the old content\n']);
  });

  it('keeps going when the file cannot be written', () => {
    const dir = tmp();
    const log = new LogFile(path.join(dir, 'gone', 'worker.log'));
    expect(() => log.error('lost')).not.toThrow();
  });
});
