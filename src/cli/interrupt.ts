/**
 * What Ctrl-C (SIGINT) does while a command runs: main.ts alone handles the signal and exits 130;
 * first it runs the cleanups running commands registered here (a --watch restores the terminal).
 * Invariants: every cleanup runs at most once, a failing cleanup does not stop the others, and the
 * `Error: interrupted` line is left out only while a command whose normal end is Ctrl-C holds a claim.
 */

interface Claim {
  cleanup: () => void;
  /** Ctrl-C is how this command ends (a watch): no error line. */
  expected: boolean;
}

const claims = new Set<Claim>();

/** Registers a cleanup for Ctrl-C; returns the function that unregisters it. */
export function onInterrupt(cleanup: () => void, options: { expected?: boolean } = {}): () => void {
  const claim = { cleanup, expected: options.expected ?? false };
  claims.add(claim);
  return () => void claims.delete(claim);
}

/** Runs and forgets every registered cleanup; `expected` when one of them ends by Ctrl-C. */
export function runInterruptCleanups(): { expected: boolean } {
  const all = [...claims];
  claims.clear();
  for (const claim of all) {
    try {
      claim.cleanup();
    } catch {
      // the others still run; the process exits next
    }
  }
  return { expected: all.some((c) => c.expected) };
}
