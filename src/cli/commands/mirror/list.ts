/** `clink mirror list`: mirror topics with their status and the largest partition lag, read live. */
import { Command } from 'commander';
import { contextFor } from '../../context.js';
import { mirrorDeps } from '../../services.js';
import { listMirrors, parseMirrorStatusFilter } from '../../../core/usecases/mirror-query.js';
import { mirrorListView } from '../../views/mirror-view.js';

export function buildMirrorListCommand(): Command {
  return new Command('list')
    .description('List mirror topics in a cluster or under a cluster link.')
    .option('--link <link>', 'Only the mirror topics of this cluster link.')
    .option('--mirror-status <status>', 'Only mirror topics with this status (active, paused, stopped, failed, pending_stopped, …).')
    .action(async (opts: { link?: string; mirrorStatus?: string }, command: Command) => {
      const ctx = contextFor(command);
      const status = parseMirrorStatusFilter(opts.mirrorStatus);
      ctx.printer.list(mirrorListView, await listMirrors({ link: opts.link, status }, await mirrorDeps(ctx)));
    });
}
