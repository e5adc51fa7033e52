/**
 * `--watch [seconds]`: read the same list again every interval until Ctrl-C (exit 130). Human output
 * on a terminal redraws each frame in place over the last one (cursor moved up, lines overwritten,
 * the rest erased; line wrap off and the frame cut to the screen's height, so nothing ever scrolls);
 * `-o json` writes one compact JSON document per line (JSON Lines); `-o yaml` one document per
 * interval, each starting with `---`. Human output off a terminal is refused before anything is read.
 * Invariants: the next read starts only after the previous frame is written plus the interval (reads
 * never overlap); the terminal is restored (wrap, cursor) however the watch ends; a failing read ends
 * the watch with that read's error.
 */
import { setTimeout as sleep } from 'node:timers/promises';
import { stringify } from 'yaml';
import { UsageError } from '../../core/errors.js';
import { onInterrupt } from '../interrupt.js';
import type { OutputFormat } from './format.js';
import { renderList } from './render-table.js';
import { toRecord, type View } from './view.js';

export const DEFAULT_WATCH_SECONDS = 2;
/** Longest interval accepted (a day). */
const MAX_WATCH_SECONDS = 86_400;

/** The --watch value (true when given without seconds) as milliseconds; undefined when not watching. */
export function parseWatchInterval(value: string | boolean | undefined): number | undefined {
  if (value === undefined || value === false) return undefined;
  if (value === true) return DEFAULT_WATCH_SECONDS * 1000;
  const seconds = /^\d+(\.\d+)?$/.test(value.trim()) ? Number(value.trim()) : NaN;
  if (!(seconds >= 0.1 && seconds <= MAX_WATCH_SECONDS)) {
    throw new UsageError(`invalid interval "${value}" for --watch`, {
      suggestion: `Give the seconds between two refreshes, from 0.1 to ${MAX_WATCH_SECONDS} (e.g. \`--watch 5\`), or \`--watch\` alone for every ${DEFAULT_WATCH_SECONDS} seconds.`,
    });
  }
  return Math.round(seconds * 1000);
}

/** Refuses human output off a terminal (a redrawn screen cannot go to a file or a pipe). */
export function assertWatchable(format: OutputFormat, stdoutIsTTY: boolean): void {
  if (format !== 'human' || stdoutIsTTY) return;
  throw new UsageError('--watch redraws the screen in human output, and standard output is not a terminal', {
    suggestion: 'Use `-o json` (one JSON document per line) or `-o yaml` (one document per interval) to watch from a script, or run the command in a terminal.',
  });
}

/** One frame in the chosen format. `title` heads a human frame (command, interval, time). */
export function watchFrame<Row>(format: OutputFormat, view: View<Row>, rows: readonly Row[], title: string): string {
  if (format === 'json') return JSON.stringify(rows.map((r) => toRecord(view, r))) + '\n';
  if (format === 'yaml') return `---\n${stringify(rows.map((r) => toRecord(view, r)), { lineWidth: 0 })}`;
  return `${title}\n\n${renderList(view, rows)}`;
}

const ESC = '\u001b[';
export const TERMINAL_SETUP = `${ESC}?7l${ESC}?25l`; // line wrap off, cursor hidden
export const TERMINAL_RESTORE = `${ESC}?7h${ESC}?25h`;

/**
 * What to write to replace the previous frame (`previousLines` lines, the cursor on the line after
 * it) by `frame`, on a screen of `screenRows` rows; and how many lines it leaves. Pure.
 */
export function redraw(previousLines: number, frame: string, screenRows: number): { text: string; lines: number } {
  let lines = frame.replace(/\n$/, '').split('\n');
  const room = Math.max(1, screenRows - 1);
  if (lines.length > room) lines = [...lines.slice(0, room - 1), `… ${lines.length - room + 1} more lines (make the window taller)`];
  const up = previousLines > 0 ? `${ESC}${previousLines}A\r` : '';
  return { text: `${up}${lines.map((l) => `${l}${ESC}K\n`).join('')}${ESC}J`, lines: lines.length };
}

export interface WatchTerminal {
  isTTY: boolean;
  rows(): number;
  write(text: string): void;
}

export interface WatchOptions {
  format: OutputFormat;
  intervalMs: number;
  /** The command as the user would type it, for the human title. */
  command: string;
  terminal: WatchTerminal;
  now?: () => Date;
  /** Ends the watch (tests); Ctrl-C ends it through main.ts. */
  signal?: AbortSignal;
}

/** Reads and shows `load()` every interval until Ctrl-C (or the signal). */
export async function watchList<Row>(view: View<Row>, load: () => Promise<readonly Row[]>, options: WatchOptions): Promise<void> {
  const { format, intervalMs, terminal } = options;
  assertWatchable(format, terminal.isTTY);
  const now = options.now ?? (() => new Date());
  const inPlace = format === 'human';
  let restored = false;
  const restore = () => {
    if (inPlace && !restored) terminal.write(TERMINAL_RESTORE);
    restored = true;
  };
  const release = onInterrupt(restore, { expected: true });
  let shown = 0;
  try {
    if (inPlace) terminal.write(TERMINAL_SETUP);
    for (;;) {
      const rows = await load();
      const title = `Every ${intervalMs / 1000}s: ${options.command}    ${now().toISOString()}`;
      const frame = watchFrame(format, view, rows, title);
      if (inPlace) {
        const next = redraw(shown, frame, terminal.rows());
        terminal.write(next.text);
        shown = next.lines;
      } else {
        terminal.write(frame);
      }
      try {
        await sleep(intervalMs, undefined, { signal: options.signal });
      } catch {
        return;
      }
    }
  } finally {
    restore();
    release();
  }
}
