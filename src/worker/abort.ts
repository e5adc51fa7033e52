/**
 * Stopping a worker: SIGTERM/SIGINT abort a controller, and long operations race the abort.
 * Invariant: unlessAborted never leaves a rejection unhandled and removes its abort listener.
 */
export const ABORTED = Symbol('aborted');

/** Resolves with the promise's value, or ABORTED as soon as the signal aborts (the promise is then left to settle alone). */
export async function unlessAborted<T>(promise: Promise<T>, signal: AbortSignal): Promise<T | typeof ABORTED> {
  promise.catch(() => undefined);
  if (signal.aborted) return ABORTED;
  let onAbort: () => void = () => {};
  const aborted = new Promise<typeof ABORTED>((resolve) => {
    onAbort = () => resolve(ABORTED);
    signal.addEventListener('abort', onAbort, { once: true });
  });
  try {
    return await Promise.race([promise, aborted]);
  } finally {
    signal.removeEventListener('abort', onAbort);
  }
}

/** Aborts the controller on SIGTERM and SIGINT; returns a function that removes the handlers. */
export function abortOnSignals(controller: AbortController, onSignal?: (signal: NodeJS.Signals) => void): () => void {
  const handler = (sig: NodeJS.Signals) => {
    onSignal?.(sig);
    controller.abort();
  };
  process.on('SIGTERM', handler);
  process.on('SIGINT', handler);
  return () => {
    process.off('SIGTERM', handler);
    process.off('SIGINT', handler);
  };
}
