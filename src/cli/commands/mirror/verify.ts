/**
 * `clink mirror verify <mirror-topic> --link <link>`: compares every record of the mirror with the
 * source record at the same offset and prints one row per partition. Invariant: exit 0 only when every
 * partition is identical; otherwise the table is printed first, then the command fails with CONFLICT
 * (exit 5), as docs/exit-codes.md says.
 */
import { Command } from 'commander';
import { contextFor } from '../../context.js';
import { mirrorDeps } from '../../services.js';
import { startSpinner } from '../../output/spinner.js';
import type { View } from '../../output/view.js';
import { verifyFailure, verifyMirror, type PartitionVerification } from '../../../core/usecases/mirror-verify.js';

export const mirrorVerifyView: View<PartitionVerification> = [
  { key: 'mirror_topic_name', header: 'Mirror Topic Name', get: (r) => r.mirrorTopic },
  { key: 'partition', header: 'Partition', get: (r) => r.partition },
  { key: 'result', header: 'Result', get: (r) => r.result },
  { key: 'records_compared', header: 'Records Compared', get: (r) => r.recordsCompared },
  { key: 'first_differing_offset', header: 'First Differing Offset', get: (r) => r.firstDifferingOffset },
  { key: 'detail', header: 'Detail', get: (r) => r.detail },
];

export function buildMirrorVerifyCommand(): Command {
  return new Command('verify')
    .description('Verify a mirror topic record by record against its source.')
    .argument('<mirror-topic>', 'Name of the mirror topic.')
    .requiredOption('--link <link>', 'Name of the cluster link.')
    .addHelpText('after', `
Every record from the mirror's log start to its end is read from both clusters and compared: offset,
key, value, headers, timestamp and timestamp type. Gap fillers match the source offsets they stand for.
Exits 5 when any partition differs.

Examples:
  Verify the mirror topic "orders" of the link "dr-link":
    $ clink mirror verify orders --link dr-link`)
    .action(async (topic: string, opts: { link: string }, command: Command) => {
      const ctx = contextFor(command);
      const { KafkaRecordReader } = await import('../../../kafka/record-reader.js');
      const deps = { ...(await mirrorDeps(ctx)), records: new KafkaRecordReader(ctx.env) };
      const spinner = startSpinner(ctx.spinner, `Verifying mirror topic "${topic}"`);
      const rows = await verifyMirror(topic, opts.link, deps).finally(() => spinner.stop());
      ctx.printer.list(mirrorVerifyView, rows);
      const failure = verifyFailure(topic, rows);
      if (failure) throw failure;
    });
}
