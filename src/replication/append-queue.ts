/**
 * A partition copier's fetched-but-not-yet-sent appends, in source offset order, with the byte
 * accounting that keeps fetching ahead bounded.
 * Invariants: `bytes` is the size of the queued batches, and the link-wide budget counts exactly the
 * bytes of every queue of the link; a queue is "full" at max(2 fetches, 4 MiB) of its own, or when the
 * link's budget is spent and it already holds something (so no partition starves).
 */
import type { Action } from './gap-filler.js';

export interface QueueBudget {
  queued: number;
  limit: number;
}

export class AppendQueue {
  private items: Action[] = [];
  private bytes = 0;

  constructor(private readonly budget: QueueBudget) {}

  get length(): number {
    return this.items.length;
  }

  peek(): Action | undefined {
    return this.items[0];
  }

  push(actions: readonly Action[]): void {
    for (const action of actions) {
      this.items.push(action);
      this.count(action.batch.bytes.length);
    }
  }

  shift(): Action | undefined {
    const action = this.items.shift();
    if (action) this.count(-action.batch.bytes.length);
    return action;
  }

  clear(): void {
    this.items = [];
    this.count(-this.bytes);
  }

  full(fetchMaxBytes: number): boolean {
    if (this.bytes >= Math.max(2 * fetchMaxBytes, 4 << 20)) return true;
    return this.bytes > 0 && this.budget.queued >= this.budget.limit;
  }

  private count(delta: number): void {
    this.bytes += delta;
    this.budget.queued += delta;
  }
}
