/** `clink worker start <link>`: start the link's worker in the background and wait until it is ready. */
import { Command } from 'commander';
import { contextFor } from '../../context.js';
import { startSpinner } from '../../output/spinner.js';
import { parseHttpPortFlag } from '../../../core/http-listen.js';

export function buildWorkerStartCommand(): Command {
  return new Command('start')
    .description('Start the worker of a cluster link in the background.')
    .argument('<link>', 'Name of the cluster link.')
    .option('--http-port <port>', 'Serve /metrics (Prometheus), the read-only REST API and /healthz on 127.0.0.1:<port> (the link config http.listen sets a host and keeps it across restarts).')
    .addHelpText('after', '\nExamples:\n  $ clink worker start dr-link\n\n  Start it with a Prometheus endpoint at http://127.0.0.1:9464/metrics:\n    $ clink worker start dr-link --http-port 9464')
    .action(async (name: string, opts: { httpPort?: string }, command: Command) => {
      const ctx = contextFor(command);
      const httpPort = opts.httpPort === undefined ? undefined : parseHttpPortFlag(opts.httpPort);
      const { startWorker } = await import('../../../worker/supervisor.js');
      const spinner = startSpinner(ctx.spinner, `Starting worker for cluster link "${name}"`);
      const worker = await startWorker(name, { configDir: ctx.configDir, stateDir: ctx.stateDir, env: ctx.env, ...(httpPort === undefined ? {} : { httpPort }) }).finally(() => spinner.stop());
      const http = worker.httpAddress ? ` Serving http://${worker.httpAddress}/metrics.` : '';
      ctx.printer.data({ link_name: name, pid: worker.pid, http_address: worker.httpAddress ?? null }, () => `Started worker for cluster link "${name}" (pid ${worker.pid}).${http}\n`);
    });
}
