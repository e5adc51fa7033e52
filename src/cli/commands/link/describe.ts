/** `clink link describe <link>`: one cluster link and its live state. */
import { Command } from 'commander';
import { contextFor } from '../../context.js';
import { linkDeps } from '../../services.js';
import { describeLink } from '../../../core/usecases/link-query.js';
import { linkDescribeNote, linkDescribeView } from '../../views/link-view.js';

export function buildLinkDescribeCommand(): Command {
  return new Command('describe')
    .description('Describe a cluster link.')
    .argument('<link>', 'Name of the cluster link.')
    .action(async (name: string, _opts: unknown, command: Command) => {
      const ctx = contextFor(command);
      const link = await describeLink(name, await linkDeps(ctx));
      ctx.printer.object(linkDescribeView, link);
      const note = linkDescribeNote(link);
      if (note && ctx.printer.format === 'human') ctx.printer.note(`Note: ${note}`);
    });
}
