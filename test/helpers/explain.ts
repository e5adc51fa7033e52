/**
 * What a failed test prints about the processes it ran: every child run through `recordRun` (the
 * CLI helper, the bench smoke test, the fault suite) is remembered for the current test, and
 * `explainFailure` renders the last few — command, exit code or signal, duration, stderr tail — plus
 * the tail of each test cluster's broker log. Invariant: only the last RECENT runs of the current
 * test are kept (reset before each test), and rendering never throws (a missing log reads as '').
 */
import { readFileSync } from 'node:fs';

const RECENT = 4;
const STDERR_LINES = 30;
const BROKER_LOG_LINES = 25;
const MAX_TAIL_BYTES = 64 * 1024;

export interface RunRecord {
  command: string[];
  exitCode: number | null;
  signal?: string | null;
  stdout?: string;
  stderr: string;
  ms?: number;
  /** E.g. "timed out after 60000 ms". */
  note?: string;
}

const runs: RunRecord[] = [];

export function recordRun(run: RunRecord): void {
  runs.push(run);
  if (runs.length > RECENT) runs.shift();
}

export function resetRuns(): void {
  runs.length = 0;
}

export function tail(text: string, lines: number): string {
  const trimmed = text.length > MAX_TAIL_BYTES ? text.slice(-MAX_TAIL_BYTES) : text;
  return trimmed.replace(/\n+$/, '').split('\n').slice(-lines).join('\n');
}

const quote = (arg: string): string => (/^[\w@%+=:,./-]+$/.test(arg) ? arg : `'${arg.replace(/'/g, `'\\''`)}'`);

/** One run as a block: `$ command`, `exit N (signal S) after T ms`, then the stderr tail. */
export function describeRun(run: RunRecord, stderrLines = STDERR_LINES): string {
  const status = [`exit ${run.exitCode ?? 'none'}`, run.signal ? `signal ${run.signal}` : '', run.ms !== undefined ? `after ${Math.round(run.ms)} ms` : '', run.note ?? '']
    .filter(Boolean).join(', ');
  const stderr = tail(run.stderr, stderrLines);
  return [`$ ${run.command.map(quote).join(' ')}`, `  ${status}`, stderr ? `  stderr (last ${stderrLines} lines):\n${indent(stderr)}` : '  stderr: (empty)'].join('\n');
}

const indent = (text: string): string => text.split('\n').map((l) => `    ${l}`).join('\n');

function fileTail(file: string, lines: number): string {
  try {
    return tail(readFileSync(file, 'utf8'), lines);
  } catch {
    return '';
  }
}

/** Broker log tails of the given clusters (name → server.log path); clusters without a log are left out. */
export function describeBrokerLogs(logs: Record<string, string | undefined>, lines = BROKER_LOG_LINES): string {
  return Object.entries(logs)
    .filter((entry): entry is [string, string] => Boolean(entry[1]))
    .map(([name, file]) => `${name} broker log ${file} (last ${lines} lines):\n${indent(fileTail(file, lines) || '(empty)')}`)
    .join('\n');
}

export function explainFailure(logs: Record<string, string | undefined>): string {
  const parts: string[] = [];
  if (runs.length > 0) parts.push(`last ${runs.length} command(s) of this test:\n${runs.map((r) => describeRun(r)).join('\n')}`);
  const brokers = describeBrokerLogs(logs);
  if (brokers) parts.push(brokers);
  return parts.join('\n');
}
