/** The `mirror` group: mirror topics, as in Confluent's `kafka mirror`. */
import { Command } from 'commander';
import { buildMirrorCreateCommand } from './create.js';
import { buildMirrorDescribeCommand } from './describe.js';
import { buildMirrorFailoverCommand } from './failover.js';
import { buildMirrorListCommand } from './list.js';
import { buildMirrorPauseCommand } from './pause.js';
import { buildMirrorPromoteCommand } from './promote.js';
import { buildMirrorResumeCommand } from './resume.js';
import { buildMirrorReverseCommand } from './reverse.js';
import { buildStateTransitionErrorCommand } from './state-transition-error/index.js';
import { buildMirrorTruncateAndRestoreCommand } from './truncate-and-restore.js';
import { buildMirrorVerifyCommand } from './verify.js';

export function buildMirrorCommand(): Command {
  return new Command('mirror')
    .description('Manage cluster linking mirror topics.')
    .addCommand(buildMirrorCreateCommand())
    .addCommand(buildMirrorDescribeCommand())
    .addCommand(buildMirrorFailoverCommand())
    .addCommand(buildMirrorListCommand())
    .addCommand(buildMirrorPauseCommand())
    .addCommand(buildMirrorPromoteCommand())
    .addCommand(buildMirrorResumeCommand())
    .addCommand(buildMirrorReverseCommand('reverse-and-pause'))
    .addCommand(buildMirrorReverseCommand('reverse-and-start'))
    .addCommand(buildStateTransitionErrorCommand())
    .addCommand(buildMirrorTruncateAndRestoreCommand())
    .addCommand(buildMirrorVerifyCommand());
}
