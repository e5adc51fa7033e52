/** `clink mirror state-transition-error list <mirror-topic> --link <link>`: the recorded errors of the mirror's failed transitions. */
import { Command } from 'commander';
import { contextFor } from '../../../context.js';
import { mirrorDeps } from '../../../services.js';
import { listTransitionErrors } from '../../../../core/usecases/mirror-transition-errors.js';
import { MAX_TRANSITION_ERRORS } from '../../../../core/model/transition-errors.js';
import { transitionErrorView } from '../../../views/mirror-view.js';

export function buildStateTransitionErrorListCommand(): Command {
  return new Command('list')
    .description('List the mirror topic\'s state transition errors.')
    .argument('<mirror-topic>', 'Name of the mirror topic.')
    .requiredOption('--link <link>', 'Name of the cluster link.')
    .addHelpText('after', `
A transition that was accepted but failed while it ran is recorded here, oldest first, the last
${MAX_TRANSITION_ERRORS} per mirror topic: a promote (or the promote step of reverse-and-start/pause) whose lag did
not reach 0 in time, a reverse refused because the two topics' histories differ, a
truncate-and-restore that failed. A request the mirror's state does not allow changes nothing and is
not recorded. A mirror created again, or reversed, starts with no errors.

Examples:
  $ clink mirror state-transition-error list orders --link dr-link`)
    .action(async (topic: string, opts: { link: string }, command: Command) => {
      const ctx = contextFor(command);
      ctx.printer.list(transitionErrorView, await listTransitionErrors(topic, opts.link, await mirrorDeps(ctx)));
    });
}
