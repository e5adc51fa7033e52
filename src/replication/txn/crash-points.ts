/**
 * Fault injection for the crash tests of the transactional writer: with CLINK_TEST_TXN_CRASH_AT set
 * to `<point>:<n>` (point = after-add | after-append | after-endtxn), the process SIGKILLs itself the
 * n-th time it passes that point, i.e. a real worker crash at an exact place inside a destination
 * transaction. Invariant: without the variable (every real deployment) this does nothing.
 */
export type CrashPoint = 'after-add' | 'after-append' | 'after-endtxn';

const spec = process.env.CLINK_TEST_TXN_CRASH_AT ?? '';
const [point, count] = spec.split(':');
let seen = 0;

export function crashPoint(at: CrashPoint): void {
  if (spec === '' || at !== point) return;
  seen++;
  if (seen >= Number(count ?? '1')) process.kill(process.pid, 'SIGKILL');
}
