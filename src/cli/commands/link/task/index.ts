/** The `link task` group (Confluent's `kafka link task`). */
import { Command } from 'commander';
import { buildLinkTaskListCommand } from './list.js';

export function buildLinkTaskCommand(): Command {
  return new Command('task').description('Manage cluster link tasks.').addCommand(buildLinkTaskListCommand());
}
