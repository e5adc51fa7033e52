/** The `link` group: named cluster links, as in Confluent's `kafka link`. */
import { Command } from 'commander';
import { buildLinkCreateCommand } from './create.js';
import { buildLinkDeleteCommand } from './delete.js';
import { buildLinkDescribeCommand } from './describe.js';
import { buildLinkListCommand } from './list.js';
import { buildLinkConfigurationCommand } from './configuration/index.js';
import { buildLinkTaskCommand } from './task/index.js';

export function buildLinkCommand(): Command {
  return new Command('link')
    .description('Manage inter-cluster links.')
    .addCommand(buildLinkCreateCommand())
    .addCommand(buildLinkDeleteCommand())
    .addCommand(buildLinkDescribeCommand())
    .addCommand(buildLinkListCommand())
    .addCommand(buildLinkConfigurationCommand())
    .addCommand(buildLinkTaskCommand());
}
