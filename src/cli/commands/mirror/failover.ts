/** `clink mirror failover <mirror-topic...> --link <link>`: stop mirroring now (disaster recovery); the topics become writable. */
import { Command } from 'commander';
import { contextFor } from '../../context.js';
import { mirrorDeps } from '../../services.js';
import { failoverMirrors } from '../../../core/usecases/mirror-failover.js';
import { alterFailure } from '../../../core/usecases/mirror-alter.js';
import { mirrorAlterView } from '../../views/mirror-view.js';
import { printWithImpact } from './impact-output.js';

export function buildMirrorFailoverCommand(): Command {
  return new Command('failover')
    .description('Failover mirror topics.')
    .argument('<mirror-topic...>', 'Names of the mirror topics.')
    .requiredOption('--link <link>', 'Name of the cluster link.')
    .option('--dry-run', 'If set, does not actually failover the mirror topic, but simply validates it and shows the impact.')
    .addHelpText('after', `
Failover works whatever the lag, even when the source cluster is down: records not mirrored yet are
left behind (the dry run shows how many, and what each consumer group would read again).

Examples:
    $ clink mirror failover orders --link dr-link --dry-run
    $ clink mirror failover orders payments --link dr-link`)
    .action(async (topics: string[], opts: { link: string; dryRun?: boolean }, command: Command) => {
      const ctx = contextFor(command);
      const result = await failoverMirrors(topics, opts.link, Boolean(opts.dryRun), await mirrorDeps(ctx));
      if (result.impact) printWithImpact(ctx.printer, result.rows, result.impact);
      else ctx.printer.list(mirrorAlterView, result.rows);
      const failure = alterFailure('failover', result, new Set(topics).size);
      if (failure) throw failure;
    });
}
