/**
 * `clink mirror create <mirror-topic>... --link <link>`: create one or more mirror topics (all or
 * nothing, one store write) and make sure the link's worker copies them.
 */
import { Command, Option } from 'commander';
import { contextFor } from '../../context.js';
import { mirrorDeps } from '../../services.js';
import { readConfigInput } from '../../config-input.js';
import { createMirrors } from '../../../core/usecases/mirror-create.js';
import { collectConfig } from '../shared-options.js';

interface Options {
  link: string;
  sourceTopic?: string;
  replicationFactor?: string;
  config: string[];
  configFile?: string;
  start: boolean;
}

export function buildMirrorCreateCommand(): Command {
  return new Command('create')
    .description('Create one or more mirror topics under the link (all or none).')
    .argument('<mirror-topic...>', 'Names of the mirror topics on the destination (each the source name, plus the link prefix if any).')
    .requiredOption('--link <link>', 'Name of the cluster link.')
    .option('--source-topic <name>', 'Name of the source topic; needed only when the link has a prefix (one mirror topic only).')
    .option('--replication-factor <n>', 'Replication factor of the mirror topics (default: the destination broker\'s default).')
    .option('--config <key=value,...>', 'Topic configs the link does not sync, as "key=value" pairs (repeatable).', collectConfig, [])
    .addOption(new Option('--config-file <path>', 'Properties file of topic configs.').hideHelp())
    .option('--no-start', 'Do not start the link\'s worker.')
    .addHelpText('after', `
Examples:
  Mirror the topic "orders" over the link "dr-link":
    $ clink mirror create orders --link dr-link

  Mirror three topics in one call (nothing is created if any of them cannot be):
    $ clink mirror create orders payments refunds --link dr-link

  Mirror over a link with the prefix "dr.":
    $ clink mirror create dr.orders --link dr-link --source-topic orders`)
    .action(async (mirrorTopics: string[], opts: Options, command: Command) => {
      const ctx = contextFor(command);
      const configs = await readConfigInput({ configFile: opts.configFile, config: opts.config }, ctx.env);
      const replicationFactor = opts.replicationFactor === undefined ? undefined : Number(opts.replicationFactor);
      const records = await createMirrors(
        { link: opts.link, mirrorTopics, sourceTopic: opts.sourceTopic, replicationFactor, configs, startWorker: opts.start },
        await mirrorDeps(ctx),
      );
      ctx.printer.data(
        records.map((r) => ({ link_name: r.link, mirror_topic_name: r.mirrorTopic, source_topic_name: r.sourceTopic, num_partition: r.partitions, created: true })),
        () => records.map((r) => `Created mirror topic "${r.mirrorTopic}".\n`).join(''),
      );
    });
}
