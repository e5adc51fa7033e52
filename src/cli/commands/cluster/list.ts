/** `clink cluster list`: the registered clusters; `*` marks the current one. */
import { Command } from 'commander';
import { contextFor } from '../../context.js';
import { clusterDeps } from '../../services.js';
import { listClusters } from '../../../core/usecases/clusters.js';
import { clusterListView, clusterMachineListView } from '../../views/cluster-view.js';

export function buildClusterListCommand(): Command {
  return new Command('list')
    .description('List registered clusters.')
    .action(async (_opts: unknown, command: Command) => {
      const ctx = contextFor(command);
      const clusters = await listClusters(await clusterDeps(ctx));
      ctx.printer.list(ctx.output === 'human' ? clusterListView : clusterMachineListView, clusters);
    });
}
