/** `clink worker run <link>`: run the link's worker in this process (for systemd, containers and debugging). */
import { Command } from 'commander';
import { contextFor } from '../../context.js';

export function buildWorkerRunCommand(): Command {
  return new Command('run')
    .description('Run the worker of a cluster link in the foreground, logging to stderr too, until SIGTERM or SIGINT.')
    .argument('<link>', 'Name of the cluster link.')
    .addHelpText('after', '\nExamples:\n  Run the worker under systemd or in a container (stop it with SIGTERM):\n    $ clink worker run dr-link')
    .action(async (name: string, _opts: unknown, command: Command) => {
      const ctx = contextFor(command);
      const { runWorkerInForeground } = await import('../../../worker/queries.js');
      const outcome = await runWorkerInForeground(name, { configDir: ctx.configDir, stateDir: ctx.stateDir, env: ctx.env, echo: (line) => ctx.printer.note(line) });
      if (outcome === 'link-deleted') ctx.printer.note(`Cluster link "${name}" was deleted; its worker stopped.`);
    });
}
