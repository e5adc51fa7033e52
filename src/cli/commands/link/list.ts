/** `clink link list`: every cluster link, with a live availability check of both ends. */
import { Command } from 'commander';
import { contextFor } from '../../context.js';
import { linkDeps } from '../../services.js';
import { listLinks } from '../../../core/usecases/link-query.js';
import { linkListView } from '../../views/link-view.js';

export function buildLinkListCommand(): Command {
  return new Command('list')
    .description('List cluster links.')
    .option('--include-topics', 'Also list the mirror topics of each link.')
    .action(async (opts: { includeTopics?: boolean }, command: Command) => {
      const ctx = contextFor(command);
      const includeTopics = Boolean(opts.includeTopics);
      const links = await listLinks({ includeTopics }, await linkDeps(ctx));
      ctx.printer.list(linkListView(includeTopics), links);
    });
}
