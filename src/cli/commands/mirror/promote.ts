/** `clink mirror promote <mirror-topic...> --link <link>`: stop mirroring once the mirrors have caught up (planned cutover, no data loss). */
import { Command } from 'commander';
import { contextFor } from '../../context.js';
import { promoteDeps } from '../../services.js';
import { promoteMirrors } from '../../../core/usecases/mirror-promote.js';
import { parseDuration } from '../../../core/duration.js';
import { ClinkError } from '../../../core/errors.js';
import type { AlterRow } from '../../../core/usecases/mirror-alter.js';
import { mirrorAlterView } from '../../views/mirror-view.js';
import { printWithImpact } from './impact-output.js';

export function buildMirrorPromoteCommand(): Command {
  return new Command('promote')
    .description('Promote mirror topics.')
    .argument('<mirror-topic...>', 'Names of the mirror topics.')
    .requiredOption('--link <link>', 'Name of the cluster link.')
    .option('--timeout <duration>', 'How long to wait for the mirror lag to reach 0 (e.g. 30s, 2m).', '60s')
    .option('--dry-run', 'If set, does not actually promote the mirror topic, but simply validates it and shows the impact.')
    .addHelpText('after', `
Promote needs the source cluster and a running worker: it waits until every partition's lag is 0,
runs a final consumer offset sync, then stops the mirrors. If the lag does not reach 0 within
--timeout (a producer still writing to the source), nothing is promoted.

Examples:
    $ clink mirror promote orders --link dr-link --timeout 2m`)
    .action(async (topics: string[], opts: { link: string; dryRun?: boolean; timeout: string }, command: Command) => {
      const ctx = contextFor(command);
      const timeoutMs = parseDuration(opts.timeout);
      try {
        const result = await promoteMirrors(topics, opts.link, { dryRun: Boolean(opts.dryRun), timeoutMs }, await promoteDeps(ctx));
        if (result.impact) printWithImpact(ctx.printer, result.rows, result.impact);
        else ctx.printer.list(mirrorAlterView, result.rows);
      } catch (error) {
        const rows = error instanceof ClinkError ? (error.context?.rows as AlterRow[] | undefined) : undefined;
        if (rows) ctx.printer.list(mirrorAlterView, rows);
        throw error;
      }
    });
}
