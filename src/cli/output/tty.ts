/**
 * Decides once, at start-up, whether colour and spinners are allowed. Colour is off when NO_COLOR is
 * set (chalk itself ignores it), when --no-color is given, when the output is for machines, or when
 * stdout is not a terminal. Spinners need stderr to be a terminal and human output.
 */
import type { OutputFormat } from './format.js';

export interface TerminalFacts {
  env: NodeJS.ProcessEnv;
  stdoutIsTTY: boolean;
  stderrIsTTY: boolean;
}

export interface TerminalDecision {
  color: boolean;
  spinner: boolean;
}

export function decideTerminal(output: OutputFormat, colorFlag: boolean, facts: TerminalFacts): TerminalDecision {
  const noColorEnv = facts.env.NO_COLOR !== undefined && facts.env.NO_COLOR !== '';
  const forced = facts.env.FORCE_COLOR !== undefined && facts.env.FORCE_COLOR !== '0' && facts.env.FORCE_COLOR !== '';
  const human = output === 'human';
  const color = human && colorFlag && !noColorEnv && (facts.stdoutIsTTY || forced);
  const spinner = human && facts.stderrIsTTY && !facts.env.CI;
  return { color, spinner };
}
