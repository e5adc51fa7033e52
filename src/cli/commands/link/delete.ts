/** `clink link delete <link...>`: delete cluster links after confirmation (or with --force). */
import { Command } from 'commander';
import { contextFor } from '../../context.js';
import { storeFor } from '../../services.js';
import { confirm } from '../../output/confirm.js';
import { checkLinksExist, deleteLinks, quoteNames } from '../../../core/usecases/link-delete.js';

export function buildLinkDeleteCommand(): Command {
  return new Command('delete')
    .description('Delete one or more cluster links.')
    .argument('<link...>', 'Names of the cluster links.')
    .option('--force', 'Skip the deletion confirmation prompt, and delete links whose mirror topics are not stopped.')
    .addHelpText('after', '\nExamples:\n  $ clink link delete dr-link --force')
    .action(async (names: string[], opts: { force?: boolean }, command: Command) => {
      const ctx = contextFor(command);
      const store = storeFor(ctx);
      const unique = await checkLinksExist(names, { store });
      const noun = unique.length > 1 ? 'cluster links' : 'cluster link';
      const go = await confirm({
        force: Boolean(opts.force),
        stdinIsTTY: ctx.stdinIsTTY,
        question: `Are you sure you want to delete ${noun} ${quoteNames(unique)}?`,
        forceFlagHint: 'delete the links',
      });
      if (!go) return;
      await deleteLinks(unique, Boolean(opts.force), { store });
      ctx.printer.message(`Deleted ${noun} ${quoteNames(unique)}.`);
    });
}
