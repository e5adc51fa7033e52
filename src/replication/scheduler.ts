/**
 * Small timing primitives of the engine. Invariants: Backoff doubles from its first delay up to its cap
 * (with ±20 % jitter) and starts over after reset(); a Signal wakes every waiter registered before
 * notify(), and once closed every wait and sleep returns at once; no timer outlives what it waits for.
 */
export class Backoff {
  private attempt = 0;

  constructor(
    private readonly firstMs: number,
    private readonly capMs: number,
  ) {}

  next(): number {
    const base = Math.min(this.capMs, this.firstMs * 2 ** this.attempt);
    this.attempt = Math.min(this.attempt + 1, 30);
    return Math.round(base * (0.8 + Math.random() * 0.4));
  }

  reset(): void {
    this.attempt = 0;
  }
}

export class Signal {
  private waiters: (() => void)[] = [];
  private closed = false;

  notify(): void {
    for (const wake of this.waiters.splice(0)) wake();
  }

  close(): void {
    this.closed = true;
    this.notify();
  }

  get isClosed(): boolean {
    return this.closed;
  }

  /** Resolves on the next notify(), on close() or after `timeoutMs`. */
  wait(timeoutMs: number): Promise<void> {
    if (this.closed) return Promise.resolve();
    return new Promise<void>((resolve) => {
      const done = () => {
        clearTimeout(timer);
        resolve();
      };
      const timer = setTimeout(() => {
        this.waiters = this.waiters.filter((w) => w !== done);
        resolve();
      }, timeoutMs);
      this.waiters.push(done);
    });
  }

  /** Resolves after `ms`, or at once when the signal is closed. */
  async sleep(ms: number): Promise<void> {
    const until = Date.now() + ms;
    while (!this.closed && Date.now() < until) await this.wait(until - Date.now());
  }
}
