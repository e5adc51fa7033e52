/** `clink link task list <link>`: the link's tasks (mirror data, syncs, auto-create) with their state and errors. */
import { Command } from 'commander';
import { contextFor } from '../../../context.js';
import { storeFor } from '../../../services.js';
import { workerPortFor } from '../../../worker-port.js';
import { listLinkTasks } from '../../../../core/usecases/link-tasks.js';
import { linkTaskView } from '../../../views/link-view.js';

export function buildLinkTaskListCommand(): Command {
  return new Command('list')
    .description('List a cluster link\'s tasks with their state and errors.')
    .argument('<link>', 'Name of the cluster link.')
    .addHelpText('after', `
States: ACTIVE (running), IN_ERROR (running, last pass failed), STOPPED (enabled, but the link's worker
is not running: start it with \`clink worker start <link>\`), NOT_CONFIGURED (not enabled on this link).

Examples:
  $ clink link task list dr-link`)
    .action(async (name: string, _opts: unknown, command: Command) => {
      const ctx = contextFor(command);
      const result = await listLinkTasks(name, { store: storeFor(ctx), workers: workerPortFor(ctx) });
      ctx.printer.list(linkTaskView, result.tasks);
    });
}
