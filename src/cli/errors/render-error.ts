/**
 * Turns any thrown value into what the user sees on stderr and the exit status. Human form:
 * `Error: <message>`, then a blank line, `Suggestions:` and the indented suggestion. Machine form
 * (-o json|yaml): `{"error":{"code","message","suggestion"}}` in that format. Unknown throwables are
 * internal bugs (exit 70) and say how to report them.
 */
import { CommanderError } from 'commander';
import { ClinkError, ErrorCode, InternalError } from '../../core/errors.js';
import { exitCodeFor, ExitCode } from './exit-codes.js';
import { renderData } from '../output/render-machine.js';
import type { OutputFormat } from '../output/format.js';

export const ISSUES_URL = 'https://github.com/clink-dev/clink/issues/new';

export interface RenderedError {
  text: string;
  exitCode: number;
}

/** Normalises anything thrown into a ClinkError (commander parse errors become usage errors). */
export function toClinkError(error: unknown): ClinkError {
  if (error instanceof ClinkError) return error;
  if (error instanceof CommanderError) {
    const message = error.message.replace(/^error:\s*/i, '');
    return new ClinkError(ErrorCode.USAGE, message, { suggestion: usageSuggestion(error) });
  }
  const message = error instanceof Error ? error.message : String(error);
  return new InternalError(`unexpected error: ${message}`, {
    suggestion: `This is a bug in clink. Please report it at ${ISSUES_URL} with the command you ran and the output of \`clink --version\`.`,
    cause: error,
  });
}

function usageSuggestion(error: CommanderError): string | undefined {
  if (error.code === 'commander.unknownCommand') return 'Run `clink --help` to see the available commands.';
  if (error.code === 'commander.unknownOption') return 'Run the command with `--help` to see its flags.';
  return 'Run the command with `--help` for usage.';
}

export function renderError(error: unknown, format: OutputFormat, verbose = false): RenderedError {
  const clinkError = toClinkError(error);
  const exitCode = exitCodeFor(clinkError.code);
  if (format !== 'human') {
    const body: Record<string, unknown> = { code: clinkError.code, message: clinkError.message };
    if (clinkError.suggestion) body.suggestion = clinkError.suggestion;
    body.exit_code = exitCode;
    return { text: renderData(format, { error: body }), exitCode };
  }
  let text = `Error: ${clinkError.message}\n`;
  if (clinkError.suggestion) text += `\nSuggestions:\n${indent(clinkError.suggestion)}\n`;
  if (verbose && exitCode === ExitCode.INTERNAL && clinkError.cause instanceof Error && clinkError.cause.stack) {
    text += `\n${clinkError.cause.stack}\n`;
  }
  return { text, exitCode };
}

function indent(text: string): string {
  return text
    .split('\n')
    .map((line) => `    ${line}`)
    .join('\n');
}
