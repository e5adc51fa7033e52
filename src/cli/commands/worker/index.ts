/** The `worker` group: the background process that replicates one cluster link. */
import { Command } from 'commander';
import { buildWorkerLogsCommand } from './logs.js';
import { buildWorkerRunCommand } from './run.js';
import { buildWorkerStartCommand } from './start.js';
import { buildWorkerStatusCommand } from './status.js';
import { buildWorkerStopCommand } from './stop.js';

export function buildWorkerCommand(): Command {
  return new Command('worker')
    .description('Manage the replication worker of each cluster link.')
    .addCommand(buildWorkerStartCommand())
    .addCommand(buildWorkerStopCommand())
    .addCommand(buildWorkerStatusCommand())
    .addCommand(buildWorkerLogsCommand())
    .addCommand(buildWorkerRunCommand());
}
