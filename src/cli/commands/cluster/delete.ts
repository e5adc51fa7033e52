/** `clink cluster delete <name>`: forget a registered cluster (refused while links point at it). */
import { Command } from 'commander';
import { contextFor } from '../../context.js';
import { storeFor } from '../../services.js';
import { deleteCluster } from '../../../core/usecases/clusters.js';

export function buildClusterDeleteCommand(): Command {
  return new Command('delete')
    .description('Remove a registered cluster from the local config.')
    .argument('<name>', 'Name of the cluster.')
    .addHelpText('after', '\nExamples:\n  $ clink cluster delete old-dr')
    .action(async (name: string, _opts: unknown, command: Command) => {
      const ctx = contextFor(command);
      await deleteCluster(name, { store: storeFor(ctx) });
      ctx.printer.message(`Deleted cluster "${name}".`);
    });
}
