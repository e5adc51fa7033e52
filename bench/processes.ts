/**
 * The bench's child processes and small helpers shared by its phases (bench/run.ts and the modules it
 * calls). Invariant: every child started through `run` or `track` is in `children` until it exits, and
 * `killChildren` (run on exit, SIGINT and SIGTERM) SIGKILLs whatever is still alive, so no child
 * outlives the run.
 */
import { spawn, type ChildProcess } from 'node:child_process';

const children = new Set<ChildProcess>();

export function killChildren(): void {
  for (const c of children) if (c.exitCode === null && c.signalCode === null) c.kill('SIGKILL');
}

/** Keeps `child` in the set until it exits. */
export function track<T extends ChildProcess>(child: T): T {
  children.add(child);
  child.once('exit', () => children.delete(child));
  return child;
}

export interface RunResult {
  code: number | null;
  /** The signal that ended the child (e.g. SIGKILL after timeoutMs), else null. */
  signal: NodeJS.Signals | null;
  stdout: string;
  stderr: string;
  /** Wall time from spawn to exit, in ms. */
  ms: number;
}

export function run(cmd: string, args: string[], options: { env?: NodeJS.ProcessEnv; timeoutMs?: number } = {}): Promise<RunResult> {
  return new Promise((resolve, reject) => {
    const started = process.hrtime.bigint();
    const child = track(spawn(cmd, args, { env: options.env ?? process.env, stdio: ['ignore', 'pipe', 'pipe'] }));
    let stdout = '';
    let stderr = '';
    const timer = options.timeoutMs ? setTimeout(() => child.kill('SIGKILL'), options.timeoutMs) : undefined;
    child.stdout.on('data', (d: Buffer) => { stdout += d.toString(); });
    child.stderr.on('data', (d: Buffer) => { stderr += d.toString(); });
    child.on('error', reject);
    child.on('close', (code, signal) => {
      clearTimeout(timer);
      resolve({ code, signal, stdout, stderr, ms: Number(process.hrtime.bigint() - started) / 1e6 });
    });
  });
}

/**
 * Multiplies every wait of the bench (timeouts of children, deadlines of polls): `--patience 4` on a
 * loaded machine (the smoke test uses it), 1 for measurements. Waits measure nothing: stretching
 * them only lets a slow machine finish.
 */
let patienceFactor = 1;
export function setPatience(factor: number): void {
  if (!Number.isFinite(factor) || factor < 1) throw new Error(`--patience must be a number >= 1, got ${factor}`);
  patienceFactor = factor;
}
export const patient = (ms: number): number => Math.round(ms * patienceFactor);

export const say = (line: string): void => void process.stderr.write(`[bench] ${line}\n`);
export const round = (n: number, d = 1): number => (Number.isFinite(n) ? Number(n.toFixed(d)) : n);
export const sleep = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));

export function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  return s.length % 2 ? (s[(s.length - 1) / 2] ?? NaN) : ((s[s.length / 2 - 1] ?? NaN) + (s[s.length / 2] ?? NaN)) / 2;
}

/** The value at quantile q (0..1) of an ascending array (nearest rank). */
export function quantile(sorted: ArrayLike<number>, q: number): number {
  if (sorted.length === 0) return NaN;
  return sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil(q * sorted.length) - 1))] ?? NaN;
}
