/**
 * `clink mirror truncate-and-restore <mirror-topic...> --link <link>` (bidirectional links): after an
 * unplanned failover, sets aside the old source's records the failed-over topic never got, and makes
 * the old source topic a mirror of it again. Confluent's table (one row per topic, or per partition
 * with --include-partitions) plus the set-aside topic's name.
 */
import { Command } from 'commander';
import { contextFor } from '../../context.js';
import { truncateDeps } from '../../services.js';
import { alterFailure } from '../../../core/usecases/mirror-alter.js';
import { truncateAndRestore, type TopicTruncation } from '../../../core/usecases/mirror-truncate.js';
import { startSpinner } from '../../output/spinner.js';
import { truncatePartitionRows, truncatePartitionView, truncateTopicView } from '../../views/truncate-view.js';

export function buildMirrorTruncateAndRestoreCommand(): Command {
  return new Command('truncate-and-restore')
    .description('Truncate topics and restore mirroring.')
    .argument('<mirror-topic...>', 'Names of the STOPPED mirror topics whose old source topics are to become mirrors again.')
    .requiredOption('--link <link>', 'Name of the cluster link (link.mode=BIDIRECTIONAL).')
    .option('--include-partitions', 'If set, returns the number of messages truncated per partition.')
    .option('--dry-run', 'If set, does not actually truncate the local topic, but simply validates it.')
    .addHelpText('after', `
For failback after an unplanned failover. The old source topic (on the other cluster of the link) may
hold records the failed-over mirror never got. clink compares both topics record by record, copies the
old source's records after the point where they part into a new topic on the same cluster,
"<topic>.set-aside.<UTC time>" (kept forever), deletes and recreates the old source topic, and makes it
a mirror of the failed-over topic from the earliest offset, so offsets line up again. Messages
Truncated counts the offsets cut off; --dry-run prints the counts and changes nothing. Stop producers
and consumers of the old source topic first: it is recreated.

Examples:
    $ clink mirror truncate-and-restore orders --link bidi-link --dry-run --include-partitions
    $ clink mirror truncate-and-restore orders --link bidi-link`)
    .action(async (topics: string[], opts: { link: string; dryRun?: boolean; includePartitions?: boolean }, command: Command) => {
      const ctx = contextFor(command);
      const spinner = startSpinner(ctx.spinner, `Comparing, setting aside and restoring ${topics.length === 1 ? `mirror topic "${topics[0]}"` : `${topics.length} mirror topics`}`);
      const result = await truncateAndRestore(topics, opts.link, { dryRun: Boolean(opts.dryRun) }, await truncateDeps(ctx)).finally(() => spinner.stop());
      if (opts.includePartitions) ctx.printer.list(truncatePartitionView, truncatePartitionRows(result.topics));
      else ctx.printer.list(truncateTopicView, result.topics as TopicTruncation[]);
      const failure = alterFailure('truncate-and-restore', { rows: [], failures: result.failures }, new Set(topics).size);
      if (failure) throw failure;
    });
}
