/**
 * The one polling primitive of clink (cf. kafkajs utils/waitFor): call a condition until it yields a
 * value, or throw a TimeoutError carrying the caller's message.
 * Invariant: the condition is called at least once, never after the deadline has passed, and never
 * concurrently with itself; `undefined`, `null` and `false` mean "not yet", every other value
 * (including 0 and '') is the result; an error thrown by the condition rejects at once, unretried.
 */
import { setTimeout as sleep } from 'node:timers/promises';
import { TimeoutError } from '../core/errors.js';

export type Pending = undefined | null | false;

export interface WaitForOptions {
  timeoutMs: number;
  /** Pause between two calls of the condition; default 100 ms. */
  intervalMs?: number;
  /** The TimeoutError message: lower-case, no full stop. A function is evaluated only on timeout. */
  message: string | (() => string);
  signal?: AbortSignal;
}

export async function waitFor<T>(
  condition: () => Promise<T | Pending> | T | Pending,
  options: WaitForOptions,
): Promise<T> {
  const { timeoutMs, intervalMs = 100, message, signal } = options;
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    signal?.throwIfAborted();
    const result = await condition();
    if (result !== undefined && result !== null && result !== false) return result;
    const remaining = deadline - Date.now();
    if (remaining <= 0) {
      const text = typeof message === 'function' ? message() : message;
      throw new TimeoutError(text, { context: { timeoutMs } });
    }
    await sleep(Math.min(intervalMs, remaining), undefined, signal ? { signal } : undefined).catch((error: unknown) => {
      signal?.throwIfAborted();
      throw error;
    });
  }
}
