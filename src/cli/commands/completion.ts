/** `clink completion <bash|zsh|fish>`: print a shell completion script generated from the command tree. */
import { Argument, Command } from 'commander';
import { SHELLS, generateCompletion, type Shell } from '../completion/generate.js';

export function buildCompletionCommand(): Command {
  return new Command('completion')
    .description('Print a shell completion script.')
    .addArgument(new Argument('<shell>', 'Shell to complete for.').choices(SHELLS))
    .addHelpText('after', '\nExamples:\n  Load completions in the current bash session:\n    $ source <(clink completion bash)\n')
    .action(async (shell: Shell) => {
      const { createProgram } = await import('../program.js');
      process.stdout.write(generateCompletion(shell, createProgram()));
    });
}
