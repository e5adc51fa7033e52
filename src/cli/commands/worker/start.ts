/** `clink worker start <link>`: start the link's worker in the background and wait until it is ready. */
import { Command } from 'commander';
import { contextFor } from '../../context.js';
import { startSpinner } from '../../output/spinner.js';

export function buildWorkerStartCommand(): Command {
  return new Command('start')
    .description('Start the worker of a cluster link in the background.')
    .argument('<link>', 'Name of the cluster link.')
    .addHelpText('after', '\nExamples:\n  $ clink worker start dr-link')
    .action(async (name: string, _opts: unknown, command: Command) => {
      const ctx = contextFor(command);
      const { startWorker } = await import('../../../worker/supervisor.js');
      const spinner = startSpinner(ctx.spinner, `Starting worker for cluster link "${name}"`);
      const worker = await startWorker(name, { configDir: ctx.configDir, stateDir: ctx.stateDir, env: ctx.env }).finally(() => spinner.stop());
      ctx.printer.data({ link_name: name, pid: worker.pid }, () => `Started worker for cluster link "${name}" (pid ${worker.pid}).\n`);
    });
}
