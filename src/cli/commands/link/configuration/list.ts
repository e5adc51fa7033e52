/** `clink link configuration list <link>`: every config of a link, defaults included, secrets masked. */
import { Command } from 'commander';
import { contextFor } from '../../../context.js';
import { linkDeps } from '../../../services.js';
import { listLinkConfigs } from '../../../../core/usecases/link-configuration.js';
import { linkConfigView } from '../../../views/link-view.js';

export function buildLinkConfigurationListCommand(): Command {
  return new Command('list')
    .description('List cluster link configurations.')
    .argument('<link>', 'Name of the cluster link.')
    .action(async (name: string, _opts: unknown, command: Command) => {
      const ctx = contextFor(command);
      ctx.printer.list(linkConfigView, await listLinkConfigs(name, await linkDeps(ctx)));
    });
}
