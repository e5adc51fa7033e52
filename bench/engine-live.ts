/**
 * Child process of the steady-state latency phase of `npm run bench` (bench/latency.ts): runs clink's
 * replication engine (createLinkEngine, exactly as a link's worker runs it) mirroring one live source
 * topic for as long as its stdin stays open. It prints `{"ready":true}` once the mirror reports ACTIVE
 * and, after stdin closes, stops the engine and prints one JSON line with its cost while mirroring (CPU
 * seconds, peak RSS = VmHWM). Invariant: it never outlives its parent's pipe, and it exits non-zero when
 * the mirror went FAILED.
 *
 * Invocation: node engine-live.js <sourceBootstrap> <destBootstrap> <sourceTopic> <mirrorTopic>
 * The mirror topic must not exist yet; it is created here with the source's partition count.
 */
import { createMirrorTopic, oneMirrorSnapshot, quietLog, vmKb } from './engine-setup.js';
import type { MirrorStatusReport } from '../src/core/model/mirror.js';
import { createLinkEngine } from '../src/replication/engine.js';

const [source = '', dest = '', topic = '', mirror = ''] = process.argv.slice(2);

const ends = await createMirrorTopic(source, dest, topic, mirror);
let failed: string | undefined;
let ready = false;
const engine = createLinkEngine({
  env: process.env,
  log: quietLog,
  report: (report: MirrorStatusReport) => {
    if (report.status === 'FAILED') failed = report.error;
    if (!ready && report.status === 'ACTIVE' && report.partitions.length === ends.length && report.partitions.every((p) => p.status === 'ACTIVE')) {
      ready = true;
      process.stdout.write(`${JSON.stringify({ ready: true })}\n`);
    }
  },
  reportLinkError: (e) => e && console.error(`LINK ${e}`),
});
const cpu0 = process.cpuUsage();
await engine.apply(oneMirrorSnapshot(source, dest, topic, mirror, ends.length));
process.stdin.resume();
await new Promise<void>((resolve) => {
  process.stdin.once('end', resolve);
  process.stdin.once('close', resolve);
});
const cpu = process.cpuUsage(cpu0);
const peakRssMB = vmKb('VmHWM') / 1024;
await engine.stop();
process.stdout.write(`${JSON.stringify({ cpuSeconds: (cpu.user + cpu.system) / 1e6, peakRssMB, failed: failed ?? null })}\n`);
process.exit(failed ? 1 : 0);
