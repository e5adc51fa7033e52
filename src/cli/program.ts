/**
 * Builds the command tree: the root `clink` command with the global flags, and one group per
 * resource, each assembled from one file per subcommand. Parse errors never exit here: every
 * command throws, and main.ts alone turns errors into exit codes.
 */
import { Command, Option } from 'commander';
import { OUTPUT_FORMATS } from './output/format.js';
import { readVersion } from './version.js';
import { commandGroups } from './commands/index.js';

function increaseVerbosity(_value: string, previous: number): number {
  return previous + 1;
}

export function createProgram(): Command {
  const program = new Command('clink')
    .description('Cluster Linking for any Apache Kafka cluster: mirror topics at the same offsets, sync consumer offsets and ACLs, fail over.')
    .version(readVersion(), '--version', 'Print the version of clink.')
    .helpOption('-h, --help', 'Show help for a command.')
    .addOption(
      new Option('-o, --output <format>', 'Output format: "human", "json" or "yaml".')
        .choices(OUTPUT_FORMATS)
        .default('human'),
    )
    .option('--no-color', 'Turn off colour in human output (also when NO_COLOR is set).')
    .option('-v, --verbose', 'Print what clink does on stderr; repeat for more detail.', increaseVerbosity, 0)
    .showSuggestionAfterError(true)
    .helpCommand('help [command]', 'Show help for a command.');

  for (const build of commandGroups) program.addCommand(build());
  applyToTree(program);
  return program;
}

/** Settings commander does not inherit through addCommand(): keep them identical on every node. */
function applyToTree(command: Command): void {
  command.exitOverride();
  command.configureOutput({ outputError: () => {} });
  command.showSuggestionAfterError(true);
  for (const sub of command.commands) applyToTree(sub);
}
