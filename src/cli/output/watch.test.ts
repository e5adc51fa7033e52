import { describe, expect, it } from 'vitest';
import { UsageError } from '../../core/errors.js';
import { assertWatchable, parseWatchInterval, redraw, TERMINAL_RESTORE, TERMINAL_SETUP, watchFrame, watchList } from './watch.js';
import type { View } from './view.js';

const view: View<{ name: string; lag: number }> = [
  { key: 'name', header: 'Name', get: (r) => r.name },
  { key: 'lag', header: 'Lag', get: (r) => r.lag },
];

describe('parseWatchInterval', () => {
  it('defaults to 2 s, takes seconds (fractions too), and is off when absent', () => {
    expect(parseWatchInterval(undefined)).toBeUndefined();
    expect(parseWatchInterval(true)).toBe(2000);
    expect(parseWatchInterval('5')).toBe(5000);
    expect(parseWatchInterval('0.5')).toBe(500);
  });

  it.each(['0', 'abc', '-1', '1e3', '', '100000', '2s'])('refuses %j with a usage error', (value) => {
    expect(() => parseWatchInterval(value)).toThrow(UsageError);
    expect(() => parseWatchInterval(value)).toThrow(/invalid interval ".*" for --watch/);
  });
});

describe('assertWatchable', () => {
  it('refuses human output off a terminal only', () => {
    expect(() => assertWatchable('human', false)).toThrow(/standard output is not a terminal/);
    expect(() => assertWatchable('human', true)).not.toThrow();
    expect(() => assertWatchable('json', false)).not.toThrow();
    expect(() => assertWatchable('yaml', false)).not.toThrow();
  });
});

describe('watchFrame', () => {
  const rows = [{ name: 'a', lag: 1 }];
  it('is one compact line for json, a --- document for yaml, a titled table for people', () => {
    expect(watchFrame('json', view, rows, 't')).toBe('[{"name":"a","lag":1}]\n');
    expect(watchFrame('yaml', view, rows, 't')).toBe('---\n- name: a\n  lag: 1\n');
    expect(watchFrame('human', view, rows, 'Every 2s: x')).toMatch(/^Every 2s: x\n\n +Name +\| +Lag +\n/);
  });
});

describe('redraw', () => {
  it('writes the first frame as it is, then moves up over the last frame and erases what is left', () => {
    const first = redraw(0, 'a\nb\n', 24);
    expect(first).toEqual({ text: 'a\u001b[K\nb\u001b[K\n\u001b[J', lines: 2 });
    const second = redraw(first.lines, 'c\n', 24);
    expect(second).toEqual({ text: '\u001b[2A\rc\u001b[K\n\u001b[J', lines: 1 });
  });

  it('cuts a frame to the screen so that nothing scrolls', () => {
    const frame = Array.from({ length: 30 }, (_, i) => `line ${i}`).join('\n');
    const r = redraw(0, frame, 10);
    expect(r.lines).toBe(9);
    expect(r.text).toContain('line 7');
    expect(r.text).not.toContain('line 8\u001b');
    expect(r.text).toContain('… 22 more lines');
  });
});

describe('watchList', () => {
  it('reads again each interval, one JSON line each, until stopped', async () => {
    const out: string[] = [];
    const abort = new AbortController();
    let n = 0;
    await watchList(view, async () => {
      n++;
      if (n === 3) abort.abort();
      return [{ name: 'a', lag: n }];
    }, { format: 'json', intervalMs: 100, command: 'x', terminal: { isTTY: false, rows: () => 24, write: (t) => out.push(t) }, signal: abort.signal });
    expect(out).toEqual(['[{"name":"a","lag":1}]\n', '[{"name":"a","lag":2}]\n', '[{"name":"a","lag":3}]\n']);
  });

  it('sets the terminal up and restores it in human mode, also when a read fails', async () => {
    const out: string[] = [];
    let n = 0;
    const run = watchList(view, async () => {
      if (++n === 2) throw new Error('read failed');
      return [];
    }, { format: 'human', intervalMs: 100, command: 'x', terminal: { isTTY: true, rows: () => 24, write: (t) => out.push(t) }, now: () => new Date(0) });
    await expect(run).rejects.toThrow('read failed');
    expect(out[0]).toBe(TERMINAL_SETUP);
    expect(out[1]).toContain('Every 0.1s: x    1970-01-01T00:00:00.000Z');
    expect(out.at(-1)).toBe(TERMINAL_RESTORE);
  });
});
