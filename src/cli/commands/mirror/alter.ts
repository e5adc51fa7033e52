/**
 * Builds the state-change commands that share one shape (Confluent's mirror pause/resume/…):
 * topics as arguments, --link, --dry-run, and a per-partition result table. The command exits
 * non-zero when any topic failed, after printing the table (docs/exit-codes.md).
 */
import { Command } from 'commander';
import { contextFor } from '../../context.js';
import { mirrorDeps } from '../../services.js';
import { alterFailure, alterMirrors } from '../../../core/usecases/mirror-alter.js';
import type { MirrorOperation } from '../../../core/model/mirror-state.js';
import { mirrorAlterView } from '../../views/mirror-view.js';

export function buildMirrorAlterCommand(operation: MirrorOperation, description: string, dryRunHelp: string, example: string): Command {
  return new Command(operation)
    .description(description)
    .argument('<mirror-topic...>', 'Names of the mirror topics.')
    .requiredOption('--link <link>', 'Name of the cluster link.')
    .option('--dry-run', dryRunHelp)
    .addHelpText('after', `\nExamples:\n    $ ${example}`)
    .action(async (topics: string[], opts: { link: string; dryRun?: boolean }, command: Command) => {
      const ctx = contextFor(command);
      const result = await alterMirrors(operation, topics, opts.link, { dryRun: Boolean(opts.dryRun) }, await mirrorDeps(ctx));
      ctx.printer.list(mirrorAlterView, result.rows);
      const failure = alterFailure(operation, result, new Set(topics).size);
      if (failure) throw failure;
    });
}
