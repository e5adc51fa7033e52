/** `clink apply -f <file|dir|->`: reconcile cluster links and their mirrors to ClusterLink documents (CFK's CR or clink.dev/v1). */
import { Command } from 'commander';
import path from 'node:path';
import { contextFor } from '../context.js';
import { linkDeps, promoteDeps } from '../services.js';
import { collectConfig } from './shared-options.js';
import { buildPlan, loadSchema, parseSources, readSources } from '../../spec/load.js';
import { executePlan } from '../../spec/execute.js';
import { planData, renderPlan } from '../../spec/render.js';

interface Options {
  filename: string[];
  dryRun?: boolean;
  prune?: boolean;
  secretsDir?: string;
}

async function readStdin(): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const chunk of process.stdin) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks).toString('utf8');
}

export function buildApplyCommand(): Command {
  return new Command('apply')
    .description('Create or update cluster links and mirror topics from ClusterLink documents (Confluent for Kubernetes or clink.dev/v1).')
    .requiredOption('-f, --filename <file|dir|->', 'A YAML file, a directory of them, or "-" for standard input (repeatable; several documents per file).', collectConfig, [])
    .option('--dry-run', 'Print the plan as a diff (secrets masked) and change nothing.')
    .option('--prune', 'Delete mirror topics of the listed links that the documents no longer list (their topics too).')
    .option('--secrets-dir <dir>', 'Resolve `secretRef: NAME` to files DIR/NAME/<key>, like a mounted Kubernetes secret (default: the environment variable NAME, upper case, `_` for other characters).')
    .addHelpText('after', `
Examples:
  See what a ClusterLink CR would change:
    $ clink apply -f clusterlink.yaml --dry-run

  Apply it, with secrets mounted as in Kubernetes:
    $ clink apply -f clusterlink.yaml --secrets-dir /etc/clink/secrets

  Apply a directory and delete mirrors it no longer lists (preview first):
    $ clink apply -f links/ --prune --dry-run
    $ clink apply -f links/ --prune

See docs/declarative.md.`)
    .action(async (opts: Options, command: Command) => {
      const ctx = contextFor(command);
      const rule = opts.secretsDir ? { secretsDir: path.resolve(opts.secretsDir) } : {};
      const [schema, sources] = await Promise.all([loadSchema(), readSources(opts.filename, readStdin)]);
      const { docs, ignored } = parseSources(sources, schema, rule);
      if (ignored.length > 0) ctx.printer.note(`Ignored (Kubernetes only, no meaning for clink): ${ignored.join(', ')}`);
      const [link, mirror] = await Promise.all([linkDeps(ctx), promoteDeps(ctx)]);
      const { plan } = await buildPlan(docs, { prune: Boolean(opts.prune) }, { link, mirror });
      if (opts.dryRun) {
        ctx.printer.data({ dry_run: true, plan: planData(plan) }, () => `[DRY RUN] Nothing was changed. Plan:\n${renderPlan(plan)}`);
        return;
      }
      const results: Array<{ object: string; result: string }> = [];
      const human = ctx.output === 'human';
      await executePlan(plan, { link, mirror, promoteTimeoutMs: 60_000 }, (o) => {
        results.push(o);
        if (human) ctx.printer.message(`${o.object} ${o.result}${o.detail ? ` (${o.detail})` : ''}`);
      });
      if (!human) ctx.printer.data({ dry_run: false, objects: results }, () => '');
    });
}
