/**
 * The composition root of the CLI: turns the parsed global options and the process environment into
 * the context every command action receives (printer, verbosity, terminal decisions, directories).
 * Built per action, from `optsWithGlobals()`, so commands never read process state themselves.
 */
import type { Command } from 'commander';
import { Printer } from './output/printer.js';
import { decideTerminal } from './output/tty.js';
import type { OutputFormat } from './output/format.js';
import type { WatchTerminal } from './output/watch.js';
import { defaultConfigDir, defaultStateDir } from '../config/paths.js';

export interface GlobalOptions {
  output: OutputFormat;
  color: boolean;
  verbose: number;
}

export interface CliContext {
  output: OutputFormat;
  verbose: number;
  color: boolean;
  spinner: boolean;
  printer: Printer;
  env: NodeJS.ProcessEnv;
  stdinIsTTY: boolean;
  /** Standard output as a screen, for --watch (redrawn in place when it is a terminal). */
  terminal: WatchTerminal;
  configDir: string;
  stateDir: string;
  /** A line on stderr when -v was given (never pass secrets here). */
  debug: (message: string) => void;
}

export function globalOptionsOf(command: Command): GlobalOptions {
  const opts = command.optsWithGlobals() as Partial<GlobalOptions>;
  return { output: opts.output ?? 'human', color: opts.color ?? true, verbose: opts.verbose ?? 0 };
}

export function contextFor(command: Command): CliContext {
  const global = globalOptionsOf(command);
  const env = process.env;
  const terminal = decideTerminal(global.output, global.color, {
    env,
    stdoutIsTTY: Boolean(process.stdout.isTTY),
    stderrIsTTY: Boolean(process.stderr.isTTY),
  });
  const stderr = (text: string) => void process.stderr.write(text);
  return {
    output: global.output,
    verbose: global.verbose,
    color: terminal.color,
    spinner: terminal.spinner,
    printer: new Printer(global.output, { stdout: (text) => void process.stdout.write(text), stderr }),
    env,
    stdinIsTTY: Boolean(process.stdin.isTTY),
    terminal: { isTTY: Boolean(process.stdout.isTTY), rows: () => process.stdout.rows || 24, write: (text) => void process.stdout.write(text) },
    configDir: defaultConfigDir(env),
    stateDir: defaultStateDir(env),
    debug: global.verbose > 0 ? (message) => stderr(`[clink] ${message}\n`) : () => {},
  };
}
