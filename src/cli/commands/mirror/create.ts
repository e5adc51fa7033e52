/** `clink mirror create <mirror-topic> --link <link>`: create a mirror topic and make sure the link's worker copies it. */
import { Command, Option } from 'commander';
import { contextFor } from '../../context.js';
import { mirrorDeps } from '../../services.js';
import { readConfigInput } from '../../config-input.js';
import { createMirror } from '../../../core/usecases/mirror-create.js';
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
    .description('Create a mirror topic under the link.')
    .argument('<mirror-topic>', 'Name of the mirror topic on the destination (the source name, plus the link prefix if any).')
    .requiredOption('--link <link>', 'Name of the cluster link.')
    .option('--source-topic <name>', 'Name of the source topic; needed only when the link has a prefix.')
    .option('--replication-factor <n>', 'Replication factor of the mirror topic (default: the destination broker\'s default).')
    .option('--config <key=value,...>', 'Topic configs the link does not sync, as "key=value" pairs (repeatable).', collectConfig, [])
    .addOption(new Option('--config-file <path>', 'Properties file of topic configs.').hideHelp())
    .option('--no-start', 'Do not start the link\'s worker.')
    .addHelpText('after', `
Examples:
  Mirror the topic "orders" over the link "dr-link":
    $ clink mirror create orders --link dr-link

  Mirror over a link with the prefix "dr.":
    $ clink mirror create dr.orders --link dr-link --source-topic orders`)
    .action(async (mirrorTopic: string, opts: Options, command: Command) => {
      const ctx = contextFor(command);
      const configs = await readConfigInput({ configFile: opts.configFile, config: opts.config }, ctx.env);
      const replicationFactor = opts.replicationFactor === undefined ? undefined : Number(opts.replicationFactor);
      await createMirror(
        { link: opts.link, mirrorTopic, sourceTopic: opts.sourceTopic, replicationFactor, configs, startWorker: opts.start },
        await mirrorDeps(ctx),
      );
      ctx.printer.message(`Created mirror topic "${mirrorTopic}".`);
    });
}
