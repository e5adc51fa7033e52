/** `clink cluster use <name>`: make a registered cluster the default destination of link and mirror commands. */
import { Command } from 'commander';
import { contextFor } from '../../context.js';
import { storeFor } from '../../services.js';
import { useCluster } from '../../../core/usecases/clusters.js';

export function buildClusterUseCommand(): Command {
  return new Command('use')
    .description('Choose the cluster that link and mirror commands use by default.')
    .argument('<name>', 'Name of the cluster.')
    .addHelpText('after', '\nExamples:\n  $ clink cluster use dr')
    .action(async (name: string, _opts: unknown, command: Command) => {
      const ctx = contextFor(command);
      await useCluster(name, { store: storeFor(ctx) });
      ctx.printer.message(`Using cluster "${name}".`);
    });
}
