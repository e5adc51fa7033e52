/** `clink mirror describe <mirror-topic> --link <link>`: one row per partition with its lag, read live (`--watch`: again every interval). */
import { Command } from 'commander';
import { contextFor } from '../../context.js';
import { mirrorDeps } from '../../services.js';
import { describeMirror } from '../../../core/usecases/mirror-query.js';
import { mirrorDescribeView, mirrorDescribeWarnings } from '../../views/mirror-view.js';
import { assertWatchable, parseWatchInterval, watchList } from '../../output/watch.js';
import { WATCH_FLAGS, WATCH_HELP } from '../shared-options.js';

export function buildMirrorDescribeCommand(): Command {
  return new Command('describe')
    .description('Describe a mirror topic.')
    .argument('<mirror-topic>', 'Name of the mirror topic.')
    .requiredOption('--link <link>', 'Name of the cluster link.')
    .option(WATCH_FLAGS, WATCH_HELP)
    .action(async (topic: string, opts: { link: string; watch?: string | boolean }, command: Command) => {
      const ctx = contextFor(command);
      const intervalMs = parseWatchInterval(opts.watch);
      if (intervalMs !== undefined) assertWatchable(ctx.output, ctx.terminal.isTTY);
      const deps = await mirrorDeps(ctx);
      const load = () => describeMirror(topic, opts.link, deps);
      if (intervalMs === undefined) {
        const rows = await load();
        ctx.printer.list(mirrorDescribeView, rows);
        for (const warning of mirrorDescribeWarnings(rows)) ctx.printer.note(warning);
        return;
      }
      await watchList(mirrorDescribeView, load, { format: ctx.output, intervalMs, command: `clink mirror describe ${topic} --link ${opts.link}`, terminal: ctx.terminal });
    });
}
