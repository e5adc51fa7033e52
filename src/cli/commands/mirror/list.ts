/** `clink mirror list`: mirror topics with their status and the largest partition lag, read live (`--watch`: again every interval). */
import { Command } from 'commander';
import { contextFor } from '../../context.js';
import { mirrorDeps } from '../../services.js';
import { listMirrors, parseMirrorStatusFilter } from '../../../core/usecases/mirror-query.js';
import { mirrorListView } from '../../views/mirror-view.js';
import { assertWatchable, parseWatchInterval, watchList } from '../../output/watch.js';
import { WATCH_FLAGS, WATCH_HELP } from '../shared-options.js';

export function buildMirrorListCommand(): Command {
  return new Command('list')
    .description('List mirror topics in a cluster or under a cluster link.')
    .option('--link <link>', 'Only the mirror topics of this cluster link.')
    .option('--mirror-status <status>', 'Only mirror topics with this status (active, paused, stopped, failed, pending_stopped, …).')
    .option(WATCH_FLAGS, WATCH_HELP)
    .action(async (opts: { link?: string; mirrorStatus?: string; watch?: string | boolean }, command: Command) => {
      const ctx = contextFor(command);
      const status = parseMirrorStatusFilter(opts.mirrorStatus);
      const intervalMs = parseWatchInterval(opts.watch);
      if (intervalMs !== undefined) assertWatchable(ctx.output, ctx.terminal.isTTY);
      const deps = await mirrorDeps(ctx);
      const load = () => listMirrors({ link: opts.link, status }, deps);
      if (intervalMs === undefined) return ctx.printer.list(mirrorListView, await load());
      const title = ['clink mirror list', opts.link && `--link ${opts.link}`, opts.mirrorStatus && `--mirror-status ${opts.mirrorStatus}`].filter(Boolean).join(' ');
      await watchList(mirrorListView, load, { format: ctx.output, intervalMs, command: title, terminal: ctx.terminal });
    });
}
