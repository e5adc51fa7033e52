/** `clink link describe <link>`: one cluster link and its live state; with `--as-spec`, the link as ClusterLink documents for `clink apply`. */
import { Command } from 'commander';
import { stringify } from 'yaml';
import { contextFor } from '../../context.js';
import { linkDeps } from '../../services.js';
import { describeLink } from '../../../core/usecases/link-query.js';
import { linkDescribeNote, linkDescribeView, linkWriterWarnings } from '../../views/link-view.js';
import { exportLink } from '../../../spec/export.js';

export function buildLinkDescribeCommand(): Command {
  return new Command('describe')
    .description('Describe a cluster link.')
    .argument('<link>', 'Name of the cluster link.')
    .option('--as-spec', 'Write the link and its mirror topics as ClusterLink documents (clink.dev/v1) that `clink apply -f` takes back unchanged (YAML unless -o json).')
    .action(async (name: string, opts: { asSpec?: boolean }, command: Command) => {
      const ctx = contextFor(command);
      const deps = await linkDeps(ctx);
      if (opts.asSpec) {
        const { documents, masked } = exportLink(await deps.store.read(), name, (k) => deps.rules.isSensitiveKey(k));
        if (masked.length > 0) ctx.printer.note(`Warning: ${masked.join(', ')} hold literal secret values, written as a mask: replace them with \`\${env:NAME}\` or \`\${dir:DIR:FILE}\` references before applying.`);
        if (ctx.output === 'json') ctx.printer.data(documents, () => '');
        else process.stdout.write(documents.map((d) => stringify(d)).join('---\n'));
        return;
      }
      const link = await describeLink(name, deps);
      ctx.printer.object(linkDescribeView, link);
      const note = linkDescribeNote(link);
      if (note && ctx.printer.format === 'human') ctx.printer.note(`Note: ${note}`);
      for (const warning of linkWriterWarnings(link)) ctx.printer.note(warning);
    });
}
