/** `clink worker status [link]`: whether each link's worker runs, its pid, heartbeat and mirror count. */
import { Command } from 'commander';
import { contextFor } from '../../context.js';
import { workerStatusView } from '../../views/worker-view.js';

export function buildWorkerStatusCommand(): Command {
  return new Command('status')
    .description('Show the worker of one cluster link, or of every cluster link.')
    .argument('[link]', 'Name of the cluster link (default: every cluster link).')
    .action(async (name: string | undefined, _opts: unknown, command: Command) => {
      const ctx = contextFor(command);
      const { listWorkerStatuses } = await import('../../../worker/queries.js');
      ctx.printer.list(workerStatusView, await listWorkerStatuses(name, { configDir: ctx.configDir, stateDir: ctx.stateDir }));
    });
}
