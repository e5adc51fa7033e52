/**
 * The process entry point of the CLI, and the only place (with the worker's own entry) that calls
 * process.exit: parse, run, and map any error to its documented exit code.
 */
import { CommanderError } from 'commander';
import { renderError } from './errors/render-error.js';
import { ExitCode } from './errors/exit-codes.js';
import { OUTPUT_FORMATS, type OutputFormat } from './output/format.js';
import { runInterruptCleanups } from './interrupt.js';

/** The -o value from raw argv, so that parse errors are rendered in the requested format too. */
export function peekOutputFormat(argv: readonly string[]): OutputFormat {
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i] ?? '';
    let value: string | undefined;
    if (arg === '-o' || arg === '--output') value = argv[i + 1];
    else if (arg.startsWith('--output=')) value = arg.slice('--output='.length);
    else if (arg.startsWith('-o') && arg.length > 2) value = arg.slice(2);
    if (value && (OUTPUT_FORMATS as readonly string[]).includes(value)) return value as OutputFormat;
  }
  return 'human';
}

async function main(argv: string[]): Promise<number> {
  const userArgs = argv.slice(2);
  if (userArgs.length === 1 && userArgs[0] === '--version') {
    // Fast path: the version needs no command tree (scripts call this often).
    const { readVersion } = await import('./version.js');
    process.stdout.write(`${readVersion()}\n`);
    return ExitCode.OK;
  }
  const { createProgram } = await import('./program.js');
  const program = createProgram();
  try {
    await program.parseAsync(argv);
    return ExitCode.OK;
  } catch (error) {
    if (error instanceof CommanderError && (error.code === 'commander.helpDisplayed' || error.code === 'commander.version' || error.code === 'commander.help')) {
      return ExitCode.OK;
    }
    const verbose = userArgs.some((a) => a === '-v' || a === '--verbose' || /^-v+$/.test(a));
    const rendered = renderError(error, peekOutputFormat(userArgs), verbose);
    process.stderr.write(rendered.text);
    return rendered.exitCode;
  }
}

process.on('SIGINT', () => {
  const { expected } = runInterruptCleanups();
  if (!expected) process.stderr.write('\nError: interrupted\n');
  process.exit(ExitCode.INTERRUPTED);
});

main(process.argv).then(
  (code) => {
    process.exit(code);
  },
  (error: unknown) => {
    process.stderr.write(`Error: ${String(error)}\n`);
    process.exit(ExitCode.INTERNAL);
  },
);
