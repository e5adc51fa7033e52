/** The `link configuration` group. */
import { Command } from 'commander';
import { buildLinkConfigurationListCommand } from './list.js';
import { buildLinkConfigurationUpdateCommand } from './update.js';

export function buildLinkConfigurationCommand(): Command {
  return new Command('configuration')
    .description('Manage cluster link configurations.')
    .addCommand(buildLinkConfigurationListCommand())
    .addCommand(buildLinkConfigurationUpdateCommand());
}
