/** `clink cluster add <name>`: register a Kafka cluster (checked and its cluster id recorded unless --no-validate). */
import { Command } from 'commander';
import { contextFor } from '../../context.js';
import { clusterDeps } from '../../services.js';
import { readConfigInput } from '../../config-input.js';
import { addCluster } from '../../../core/usecases/clusters.js';
import { clusterDescribeView } from '../../views/cluster-view.js';
import { collectConfig } from '../shared-options.js';

export function buildClusterAddCommand(): Command {
  return new Command('add')
    .description('Register a Kafka cluster.')
    .argument('<name>', 'Name for the cluster.')
    .option('--bootstrap-server <host:port,...>', 'Bootstrap servers of the cluster (or `bootstrap.servers` in the config file).')
    .option('--config-file <path>', 'Kafka client properties file (security.protocol, sasl.*, ssl.*, …).')
    .option('--config <key=value,...>', 'Client properties as comma-separated "key=value" pairs (repeatable).', collectConfig, [])
    .option('--no-validate', 'Register the cluster without contacting it.')
    .addHelpText('after', `
Examples:
  Register a local cluster and make it the current one:
    $ clink cluster add dr --bootstrap-server localhost:9092

  Register a SASL cluster with a client properties file:
    $ clink cluster add prod --bootstrap-server kafka:9094 --config-file client.properties`)
    .action(async (name: string, opts: { bootstrapServer?: string; configFile?: string; config: string[]; validate: boolean }, command: Command) => {
      const ctx = contextFor(command);
      const properties = await readConfigInput({ configFile: opts.configFile, config: opts.config }, ctx.env);
      const deps = await clusterDeps(ctx);
      ctx.debug(`registering cluster "${name}"${opts.validate ? ' after checking it' : ' without contacting it'}`);
      const summary = await addCluster({ name, bootstrapServers: opts.bootstrapServer, properties, validate: opts.validate }, deps);
      if (ctx.output === 'human') {
        ctx.printer.message(`Added cluster "${name}"${summary.clusterId ? ` (cluster id ${summary.clusterId})` : ''}.`);
        if (summary.current) ctx.printer.message(`Using cluster "${name}" as the current cluster.`);
      } else {
        ctx.printer.object(clusterDescribeView, summary);
      }
    });
}
