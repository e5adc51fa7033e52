/**
 * The CLI's view of link workers (WorkerPort): read a worker's status file, and make sure a worker
 * runs. Process management itself lives in src/worker/supervisor.ts.
 */
import type { WorkerPort } from '../core/ports.js';
import type { CliContext } from './context.js';

export function workerPortFor(ctx: CliContext): WorkerPort {
  return {
    async readStatus(link) {
      const { readStatusFile } = await import('../worker/status-file.js');
      return readStatusFile(ctx.stateDir, link);
    },
    async isRunning(link) {
      const { runningWorkerPid } = await import('../worker/supervisor.js');
      return runningWorkerPid(ctx.stateDir, link) !== undefined;
    },
    async ensureRunning(link) {
      const { ensureWorkerRunning } = await import('../worker/supervisor.js');
      await ensureWorkerRunning(link, { configDir: ctx.configDir, stateDir: ctx.stateDir, env: ctx.env });
    },
  };
}
