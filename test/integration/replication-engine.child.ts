/**
 * A replication engine in its own process, for crash tests: applies the snapshot given in
 * CLINK_ENGINE_CHILD_SNAPSHOT, prints every report as one JSON line on stdout, and on SIGTERM stops
 * the engine and exits. The test kills it with SIGKILL to simulate a crash mid-copy.
 */
import { createLinkEngine } from '../../src/replication/engine.js';
import type { LinkSnapshot } from '../../src/replication/engine-api.js';

const snapshot = JSON.parse(process.env.CLINK_ENGINE_CHILD_SNAPSHOT ?? '{}') as LinkSnapshot;
const quiet = () => undefined;
const engine = createLinkEngine({
  env: process.env,
  log: { info: quiet, debug: quiet, warn: (m) => process.stderr.write(`WARN ${m}\n`), error: (m) => process.stderr.write(`ERROR ${m}\n`) },
  report: (report) => process.stdout.write(`${JSON.stringify(report)}\n`),
  reportLinkError: quiet,
});
process.once('SIGTERM', () => {
  void engine.stop().then(() => process.exit(0));
});
await engine.apply(snapshot);
