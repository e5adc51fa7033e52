/** `clink link create <link>`: store a named cluster link from a source cluster to a registered destination cluster. */
import { Command } from 'commander';
import { contextFor } from '../../context.js';
import { linkDeps } from '../../services.js';
import { readConfigInput } from '../../config-input.js';
import { createLink } from '../../../core/usecases/link-create.js';
import { collectConfig } from '../shared-options.js';
import { UsageError } from '../../../core/errors.js';
import { workerStartData, workerStartText } from '../../views/worker-start-view.js';

interface Options {
  sourceBootstrapServer?: string;
  sourceCluster?: string;
  remoteBootstrapServer?: string;
  remoteCluster?: string;
  configFile?: string;
  config: string[];
  cluster?: string;
  dryRun?: boolean;
  validate: boolean;
  start: boolean;
}

export function buildLinkCreateCommand(): Command {
  return new Command('create')
    .description('Create a new cluster link.')
    .argument('<link>', 'Name of the cluster link.')
    .option('--source-bootstrap-server <host:port,...>', 'Bootstrap servers of the source cluster (or `bootstrap.servers` in the config file).')
    .option('--source-cluster <cluster-id>', 'Expected cluster id of the source cluster; the link is refused if the real one differs.')
    .option('--remote-bootstrap-server <host:port,...>', 'Bootstrap servers of the remote cluster of a bidirectional link (link.mode=BIDIRECTIONAL).')
    .option('--remote-cluster <cluster-id>', 'Expected cluster id of the remote cluster of a bidirectional link.')
    .option('--config <key=value,...>', 'Link configs and source client properties as "key=value" pairs, or the path of a properties file (repeatable).', collectConfig, [])
    .option('--config-file <path>', 'Properties file with link configs and source client properties.')
    .option('--cluster <name>', 'Destination cluster (default: `clink cluster use`, or CLINK_CLUSTER).')
    .option('--dry-run', 'Validate the link, but do not create it.')
    .option('--no-validate', 'Create the link without contacting the source or destination cluster (the worker is not started either).')
    .option('--no-start', 'Do not start the link\'s worker, even when ACL sync, consumer offset sync or auto-create is enabled.')
    .addHelpText('after', `
Examples:
  Create a link with its source connection and configs in a file:
    $ clink link create dr-link --config-file dr-link.config

  Create a bidirectional link, so mirrors can later be reversed (reverse-and-start, truncate-and-restore):
    $ clink link create bidi-link --remote-bootstrap-server primary:9092 --config link.mode=BIDIRECTIONAL

  Create a link that syncs consumer offsets of every group:
    $ clink link create dr-link --source-bootstrap-server src:9092 --config consumer.offset.sync.enable=true,consumer.offset.group.filters={"groupFilters":[{"name":"*","patternType":"LITERAL","filterType":"INCLUDE"}]}

A link with ACL sync, consumer offset sync or auto-create enabled has work to do before its first mirror:
its worker is started right away (as \`mirror create\` does), unless --no-start is given; start it later
with \`clink worker start <link>\`. --dry-run and --no-validate start nothing and say what would start.`)
    .action(async (name: string, opts: Options, command: Command) => {
      const ctx = contextFor(command);
      const properties = await readConfigInput({ configFile: opts.configFile, config: opts.config }, ctx.env);
      const remote = remoteFlags(opts, properties['link.mode']);
      const result = await createLink(
        {
          name,
          sourceBootstrapServers: remote.bootstrap ?? opts.sourceBootstrapServer,
          sourceClusterId: remote.clusterId ?? opts.sourceCluster,
          properties,
          cluster: opts.cluster,
          dryRun: Boolean(opts.dryRun),
          validate: opts.validate,
          startWorker: opts.start,
        },
        await linkDeps(ctx),
      );
      ctx.printer.data(
        { link_name: name, link_id: result.link.linkId, dry_run: result.dryRun, configs: Object.fromEntries(result.shownConfigs), worker: workerStartData(result.worker) },
        () =>
          `${result.dryRun ? '[DRY RUN] ' : ''}Created cluster link "${name}" with configs:\n` +
          result.shownConfigs.map(([k, v]) => `"${k}"="${v}"\n`).join('') +
          '\n' +
          workerStartText(name, result.worker),
      );
    });
}

/** The --remote-* flags name the other cluster of a bidirectional link, and only of one. */
function remoteFlags(opts: Options, mode: string | undefined): { bootstrap?: string; clusterId?: string } {
  const given = opts.remoteBootstrapServer !== undefined || opts.remoteCluster !== undefined;
  if (!given) return {};
  if ((mode ?? '').trim().toUpperCase() !== 'BIDIRECTIONAL') {
    throw new UsageError('--remote-bootstrap-server and --remote-cluster are for bidirectional links', {
      suggestion: 'Add `--config link.mode=BIDIRECTIONAL`, or use --source-bootstrap-server and --source-cluster.',
    });
  }
  if ((opts.sourceBootstrapServer !== undefined && opts.remoteBootstrapServer !== undefined) || (opts.sourceCluster !== undefined && opts.remoteCluster !== undefined)) {
    throw new UsageError('give the other cluster either with --remote-* or with --source-* flags, not both');
  }
  return { bootstrap: opts.remoteBootstrapServer, clusterId: opts.remoteCluster };
}
