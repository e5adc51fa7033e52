/** `clink mirror describe <mirror-topic> --link <link>`: one row per partition with its lag, read live. */
import { Command } from 'commander';
import { contextFor } from '../../context.js';
import { mirrorDeps } from '../../services.js';
import { describeMirror } from '../../../core/usecases/mirror-query.js';
import { mirrorDescribeView, mirrorDescribeWarnings } from '../../views/mirror-view.js';

export function buildMirrorDescribeCommand(): Command {
  return new Command('describe')
    .description('Describe a mirror topic.')
    .argument('<mirror-topic>', 'Name of the mirror topic.')
    .requiredOption('--link <link>', 'Name of the cluster link.')
    .action(async (topic: string, opts: { link: string }, command: Command) => {
      const ctx = contextFor(command);
      const rows = await describeMirror(topic, opts.link, await mirrorDeps(ctx));
      ctx.printer.list(mirrorDescribeView, rows);
      for (const warning of mirrorDescribeWarnings(rows)) ctx.printer.note(warning);
    });
}
