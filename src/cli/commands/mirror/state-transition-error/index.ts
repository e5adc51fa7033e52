/** The `mirror state-transition-error` group (Confluent's `kafka mirror state-transition-error`). */
import { Command } from 'commander';
import { buildStateTransitionErrorListCommand } from './list.js';

export function buildStateTransitionErrorCommand(): Command {
  return new Command('state-transition-error').description('Manage the state transition errors of mirror topics.').addCommand(buildStateTransitionErrorListCommand());
}
