/**
 * y/n confirmation for destructive verbs. Asked only when stdin is a terminal; without one the
 * caller must pass --force, and ConfirmationRequiredError says so.
 */
import { createInterface } from 'node:readline/promises';
import { ConfirmationRequiredError } from '../../core/errors.js';

export interface ConfirmOptions {
  force: boolean;
  stdinIsTTY: boolean;
  question: string;
  forceFlagHint: string;
}

export async function confirm(options: ConfirmOptions): Promise<boolean> {
  if (options.force) return true;
  if (!options.stdinIsTTY) {
    throw new ConfirmationRequiredError('confirmation required but standard input is not a terminal', {
      suggestion: `Pass \`--force\` to ${options.forceFlagHint} without a prompt.`,
    });
  }
  const rl = createInterface({ input: process.stdin, output: process.stderr });
  try {
    const answer = await rl.question(`${options.question} (y/n): `);
    return /^y(es)?$/i.test(answer.trim());
  } finally {
    rl.close();
  }
}
