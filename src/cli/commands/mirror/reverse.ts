/**
 * `clink mirror reverse-and-start|reverse-and-pause <mirror-topic...> --link <link>` (bidirectional
 * links): the old source topic becomes a mirror of the topic that mirrored it, then starts or stays
 * paused. Shared builder of the two commands; the result table is the one of every state change.
 */
import { Command } from 'commander';
import { contextFor } from '../../context.js';
import { reverseDeps } from '../../services.js';
import { parseDuration } from '../../../core/duration.js';
import { ClinkError } from '../../../core/errors.js';
import { alterFailure, type AlterRow } from '../../../core/usecases/mirror-alter.js';
import { reverseMirrors, type ReverseOperation } from '../../../core/usecases/mirror-reverse.js';
import { mirrorAlterView } from '../../views/mirror-view.js';
import { startSpinner } from '../../output/spinner.js';

const TEXT: Record<ReverseOperation, { description: string; dryRun: string; remote: string }> = {
  'reverse-and-start': {
    description: 'Reverse local mirror topics and start remote mirror topics.',
    dryRun: 'If set, does not actually reverse the local mirror topic and starts the remote mirror topic, but simply validates it.',
    remote: 'starts mirroring',
  },
  'reverse-and-pause': {
    description: 'Reverse local mirror topics and pause remote mirror topics.',
    dryRun: 'If set, does not actually reverse the local mirror topic and pause the remote mirror topic, but simply validates it.',
    remote: 'stays PAUSED until `clink mirror resume`',
  },
};

export function buildMirrorReverseCommand(operation: ReverseOperation): Command {
  const text = TEXT[operation];
  return new Command(operation)
    .description(text.description)
    .argument('<mirror-topic...>', 'Names of the mirror topics.')
    .requiredOption('--link <link>', 'Name of the cluster link (link.mode=BIDIRECTIONAL).')
    .option('--timeout <duration>', 'How long an ACTIVE mirror may take to reach lag 0 before it is reversed (e.g. 30s, 2m).', '60s')
    .option('--dry-run', text.dryRun)
    .addHelpText('after', `
On a bidirectional link, the topic that was the source becomes a mirror of the topic that mirrored it,
under the same name, continuing from its own end: only records written after the switch are copied.
The mirror then ${text.remote}. An ACTIVE mirror is promoted first (lag 0, final consumer offset
sync); a STOPPED one (after promote or failover) is reversed as it is. Refused when the old source
holds records the other topic does not (use \`clink mirror truncate-and-restore\` then).

Examples:
    $ clink mirror ${operation} orders --link bidi-link --dry-run
    $ clink mirror ${operation} orders --link bidi-link`)
    .action(async (topics: string[], opts: { link: string; dryRun?: boolean; timeout: string }, command: Command) => {
      const ctx = contextFor(command);
      const timeoutMs = parseDuration(opts.timeout);
      try {
        const spinner = startSpinner(ctx.spinner, `Reversing ${topics.length === 1 ? `mirror topic "${topics[0]}"` : `${topics.length} mirror topics`}`);
        const result = await reverseMirrors(operation, topics, opts.link, { dryRun: Boolean(opts.dryRun), timeoutMs }, await reverseDeps(ctx)).finally(() => spinner.stop());
        ctx.printer.list(mirrorAlterView, result.rows);
        const failure = alterFailure(operation, result, new Set(topics).size);
        if (failure) throw failure;
      } catch (error) {
        const rows = error instanceof ClinkError ? (error.context?.rows as AlterRow[] | undefined) : undefined;
        if (rows) ctx.printer.list(mirrorAlterView, rows);
        throw error;
      }
    });
}
