/**
 * Conventions of the command tree, checked rather than reviewed: lower-case names, descriptions that
 * are sentences, kebab-case flags with descriptions, and an example on every command that changes
 * something.
 */
import { describe, expect, it } from 'vitest';
import type { Command } from 'commander';
import { createProgram } from '../../src/cli/program.js';

function all(command: Command, out: Command[] = []): Command[] {
  out.push(command);
  for (const sub of command.commands) if (sub.name() !== 'help') all(sub, out);
  return out;
}

const MUTATING = /^(add|create|delete|use|update|pause|resume|failover|promote|start|stop|reverse-and-start|reverse-and-pause|truncate-and-restore)$/;

describe('command tree conventions', () => {
  const commands = all(createProgram());

  it.each(commands.map((c) => [c.name(), c] as const))('%s follows the conventions', (_name, command) => {
    expect(command.name()).toMatch(/^[a-z][a-z-]*$/);
    expect(command.description()).toMatch(/^[A-Z].*\.$/s);
    for (const option of command.options) {
      expect(option.long ?? '').toMatch(/^--[a-z][a-z0-9-]*$/);
      expect(option.description).toMatch(/^[A-Z].*\.$/s);
    }
    if (MUTATING.test(command.name()) && command.commands.length === 0) {
      // commander keeps "after" help text in an event listener; render the help and look for it
      command.configureHelp({ helpWidth: 200 });
      let text = '';
      command.configureOutput({ writeOut: (s) => (text += s) });
      command.outputHelp();
      expect(text).toMatch(/Examples?:/);
    }
  });
});
