/** `clink link configuration update <link>`: change link configs or source client properties, validated as a whole. */
import { Command } from 'commander';
import { contextFor } from '../../../context.js';
import { linkDeps } from '../../../services.js';
import { readConfigInput } from '../../../config-input.js';
import { updateLinkConfigs } from '../../../../core/usecases/link-configuration.js';
import { collectConfig } from '../../shared-options.js';
import { workerStartText } from '../../../views/worker-start-view.js';

export function buildLinkConfigurationUpdateCommand(): Command {
  return new Command('update')
    .description('Update cluster link configurations.')
    .argument('<link>', 'Name of the cluster link.')
    .option('--config <key=value,...>', 'Configs as "key=value" pairs, or the path of a properties file (repeatable).', collectConfig, [])
    .option('--config-file <path>', 'Properties file with the configs to change.')
    .option('--no-start', 'Do not start the link\'s worker when the update enables ACL sync, consumer offset sync or auto-create.')
    .addHelpText('after', '\nExamples:\n  $ clink link configuration update dr-link --config consumer.offset.sync.ms=10000\n\nWhen the link then has ACL sync, consumer offset sync or auto-create enabled, its worker is started\n(unless --no-start): those tasks run without any mirror.')
    .action(async (name: string, opts: { config: string[]; configFile?: string; start: boolean }, command: Command) => {
      const ctx = contextFor(command);
      const properties = await readConfigInput({ configFile: opts.configFile, config: opts.config }, ctx.env);
      const worker = await updateLinkConfigs(name, properties, opts.start, await linkDeps(ctx));
      ctx.printer.message(`Updated cluster link "${name}".`);
      const text = workerStartText(name, worker);
      if (text) ctx.printer.message(text);
    });
}
