/** `clink link create <link>`: store a named cluster link from a source cluster to a registered destination cluster. */
import { Command } from 'commander';
import { contextFor } from '../../context.js';
import { linkDeps } from '../../services.js';
import { readConfigInput } from '../../config-input.js';
import { createLink } from '../../../core/usecases/link-create.js';
import { collectConfig } from '../shared-options.js';

interface Options {
  sourceBootstrapServer?: string;
  sourceCluster?: string;
  configFile?: string;
  config: string[];
  cluster?: string;
  dryRun?: boolean;
  validate: boolean;
}

export function buildLinkCreateCommand(): Command {
  return new Command('create')
    .description('Create a new cluster link.')
    .argument('<link>', 'Name of the cluster link.')
    .option('--source-bootstrap-server <host:port,...>', 'Bootstrap servers of the source cluster (or `bootstrap.servers` in the config file).')
    .option('--source-cluster <cluster-id>', 'Expected cluster id of the source cluster; the link is refused if the real one differs.')
    .option('--config <key=value,...>', 'Link configs and source client properties as "key=value" pairs, or the path of a properties file (repeatable).', collectConfig, [])
    .option('--config-file <path>', 'Properties file with link configs and source client properties.')
    .option('--cluster <name>', 'Destination cluster (default: `clink cluster use`, or CLINK_CLUSTER).')
    .option('--dry-run', 'Validate the link, but do not create it.')
    .option('--no-validate', 'Create the link without contacting the source or destination cluster.')
    .addHelpText('after', `
Examples:
  Create a link with its source connection and configs in a file:
    $ clink link create dr-link --config-file dr-link.config

  Create a link that syncs consumer offsets of every group:
    $ clink link create dr-link --source-bootstrap-server src:9092 --config consumer.offset.sync.enable=true,consumer.offset.group.filters={"groupFilters":[{"name":"*","patternType":"LITERAL","filterType":"INCLUDE"}]}`)
    .action(async (name: string, opts: Options, command: Command) => {
      const ctx = contextFor(command);
      const properties = await readConfigInput({ configFile: opts.configFile, config: opts.config }, ctx.env);
      const result = await createLink(
        {
          name,
          sourceBootstrapServers: opts.sourceBootstrapServer,
          sourceClusterId: opts.sourceCluster,
          properties,
          cluster: opts.cluster,
          dryRun: Boolean(opts.dryRun),
          validate: opts.validate,
        },
        await linkDeps(ctx),
      );
      ctx.printer.data(
        { link_name: name, link_id: result.link.linkId, dry_run: result.dryRun, configs: Object.fromEntries(result.shownConfigs) },
        () =>
          `${result.dryRun ? '[DRY RUN] ' : ''}Created cluster link "${name}" with configs:\n` +
          result.shownConfigs.map(([k, v]) => `"${k}"="${v}"\n`).join('') +
          '\n',
      );
    });
}
