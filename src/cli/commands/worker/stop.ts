/** `clink worker stop <link>`: stop the link's worker (SIGTERM, then SIGKILL after a timeout). */
import { Command } from 'commander';
import { contextFor } from '../../context.js';

export function buildWorkerStopCommand(): Command {
  return new Command('stop')
    .description('Stop the worker of a cluster link.')
    .argument('<link>', 'Name of the cluster link.')
    .addHelpText('after', '\nExamples:\n  $ clink worker stop dr-link')
    .action(async (name: string, _opts: unknown, command: Command) => {
      const ctx = contextFor(command);
      const { stopWorker } = await import('../../../worker/supervisor.js');
      const stopped = await stopWorker(name, { configDir: ctx.configDir, stateDir: ctx.stateDir, env: ctx.env });
      if (stopped.forced) ctx.printer.note(`Warning: the worker (pid ${stopped.pid}) did not stop in time and was killed.`);
      ctx.printer.data({ link_name: name, pid: stopped.pid, forced: stopped.forced }, () => `Stopped worker for cluster link "${name}".\n`);
    });
}
