/**
 * The files generated from the command tree: docs/commands.md and completions/clink.{bash,zsh,fish}.
 * One function computes their content (used by the generator and by the staleness test), so the
 * checked-in copies can always be compared with what the code would write.
 */
import type { Command } from 'commander';
import { createProgram } from '../program.js';
import { generateCompletion, SHELLS } from '../completion/generate.js';

function fullName(command: Command): string {
  const names: string[] = [];
  for (let c: Command | null = command; c; c = c.parent) names.unshift(c.name());
  return names.join(' ');
}

function walk(command: Command, out: Command[]): void {
  out.push(command);
  for (const sub of command.commands) if (sub.name() !== 'help') walk(sub, out);
}

function commandsMarkdown(root: Command): string {
  const all: Command[] = [];
  walk(root, all);
  const parts = [
    '# Command reference',
    '',
    'Generated from the command tree by `npm run gen`; do not edit by hand.',
    'Global flags (`-o, --output`, `--no-color`, `-v, --verbose`) work on every command.',
    '',
  ];
  for (const command of all) {
    command.configureHelp({ helpWidth: 100 });
    parts.push(`## ${fullName(command)}`, '', '```', command.helpInformation().trimEnd(), '```', '');
  }
  return parts.join('\n');
}

export function generatedFiles(): Record<string, string> {
  const files: Record<string, string> = { 'docs/commands.md': commandsMarkdown(createProgram()) };
  const names = { bash: 'completions/clink.bash', zsh: 'completions/_clink', fish: 'completions/clink.fish' } as const;
  for (const shell of SHELLS) files[names[shell]] = generateCompletion(shell, createProgram());
  return files;
}
