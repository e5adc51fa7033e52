/** `clink worker run <link>`: run the link's worker in this process (for systemd, containers and debugging). */
import { Command } from 'commander';
import { contextFor } from '../../context.js';
import { parseHttpPortFlag } from '../../../core/http-listen.js';

export function buildWorkerRunCommand(): Command {
  return new Command('run')
    .description('Run the worker of a cluster link in the foreground, logging to stderr too, until SIGTERM or SIGINT.')
    .argument('<link>', 'Name of the cluster link.')
    .option('--http-port <port>', 'Serve /metrics (Prometheus), the read-only REST API and /healthz on 127.0.0.1:<port> (the link config http.listen sets a host and keeps it across restarts).')
    .addHelpText('after', '\nExamples:\n  Run the worker under systemd or in a container (stop it with SIGTERM):\n    $ clink worker run dr-link\n\n  With a Prometheus endpoint and a health check at http://127.0.0.1:9464/healthz:\n    $ clink worker run dr-link --http-port 9464')
    .action(async (name: string, opts: { httpPort?: string }, command: Command) => {
      const ctx = contextFor(command);
      const httpPort = opts.httpPort === undefined ? undefined : parseHttpPortFlag(opts.httpPort);
      const { runWorkerInForeground } = await import('../../../worker/queries.js');
      const outcome = await runWorkerInForeground(name, { configDir: ctx.configDir, stateDir: ctx.stateDir, env: ctx.env, echo: (line) => ctx.printer.note(line), ...(httpPort === undefined ? {} : { httpPort }) });
      if (outcome === 'link-deleted') ctx.printer.note(`Cluster link "${name}" was deleted; its worker stopped.`);
    });
}
