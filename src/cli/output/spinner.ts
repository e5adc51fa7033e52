/**
 * Progress spinners on stderr, only for people at a terminal (decided in tty.ts); otherwise every
 * call is a no-op so scripts see clean streams.
 */
import ora, { type Ora } from 'ora';

export interface Spinner {
  succeed(text?: string): void;
  fail(text?: string): void;
  stop(): void;
}

const silent: Spinner = { succeed() {}, fail() {}, stop() {} };

export function startSpinner(enabled: boolean, text: string): Spinner {
  if (!enabled) return silent;
  const spinner: Ora = ora({ text, stream: process.stderr }).start();
  return {
    succeed: (t) => void spinner.succeed(t),
    fail: (t) => void spinner.fail(t),
    stop: () => void spinner.stop(),
  };
}
