/** `clink cluster describe <name>`: one registered cluster (client config keys only, never values). */
import { Command } from 'commander';
import { contextFor } from '../../context.js';
import { clusterDeps } from '../../services.js';
import { describeCluster } from '../../../core/usecases/clusters.js';
import { clusterDescribeView } from '../../views/cluster-view.js';

export function buildClusterDescribeCommand(): Command {
  return new Command('describe')
    .description('Describe a registered cluster.')
    .argument('<name>', 'Name of the cluster.')
    .action(async (name: string, _opts: unknown, command: Command) => {
      const ctx = contextFor(command);
      ctx.printer.object(clusterDescribeView, await describeCluster(name, await clusterDeps(ctx)));
    });
}
