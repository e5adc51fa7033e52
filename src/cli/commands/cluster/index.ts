/** The `cluster` group: the registry of Kafka clusters that links and mirrors point at. */
import { Command } from 'commander';
import { buildClusterAddCommand } from './add.js';
import { buildClusterListCommand } from './list.js';
import { buildClusterDescribeCommand } from './describe.js';
import { buildClusterUseCommand } from './use.js';
import { buildClusterDeleteCommand } from './delete.js';

export function buildClusterCommand(): Command {
  return new Command('cluster')
    .description('Manage the Kafka clusters clink knows.')
    .addCommand(buildClusterAddCommand())
    .addCommand(buildClusterListCommand())
    .addCommand(buildClusterDescribeCommand())
    .addCommand(buildClusterUseCommand())
    .addCommand(buildClusterDeleteCommand());
}
