/**
 * The process of one link's worker: `node dist/worker/entry.js --link <name> [--foreground] [--http-port <port>]`, started
 * detached by `clink worker start` (stdout and stderr go to worker.log). With --foreground, log lines
 * are echoed to stderr too. Directories come from CLINK_CONFIG_DIR / CLINK_STATE_DIR (or defaults).
 * This file and src/cli/main.ts are the only ones that call process.exit.
 *
 * Exit codes:
 *   0   stopped: SIGTERM or SIGINT, or the link was deleted from the config store
 *   1   could not start: link or its destination cluster missing, engine unavailable, first apply failed
 *   2   usage: bad arguments
 *   5   another live worker holds this link's lock (the message names its pid)
 *   6   the HTTP endpoint (--http-port, http.listen) cannot listen: port in use, no such address
 *   70  internal: unexpected error, or the engine did not stop in time (hard exit 10 s after the signal)
 */
import { parseArgs } from 'node:util';
import { isClinkError } from '../core/errors.js';
import { defaultConfigDir, defaultStateDir } from '../config/paths.js';
import { abortOnSignals } from './abort.js';
import { formatLogLine } from './log-file.js';
import { WorkerLockHeldError } from './lock.js';
import { HttpListenError } from '../http/server.js';
import { runWorker, wasLogged, WorkerExitCode } from './main.js';
import { parseHttpPortFlag } from '../core/http-listen.js';

const HARD_EXIT_MS = 10_000;

function stderrLine(message: string, fields?: Record<string, unknown>): void {
  process.stderr.write(formatLogLine(new Date(), 'error', message, fields));
}

function parse(argv: string[]): { link: string; foreground: boolean; httpPort?: number } | undefined {
  try {
    const { values } = parseArgs({ args: argv, options: { link: { type: 'string' }, foreground: { type: 'boolean' }, 'http-port': { type: 'string' } }, strict: true });
    if (!values.link) throw new Error('missing --link <name>');
    const httpPort = values['http-port'] === undefined ? undefined : parseHttpPortFlag(values['http-port']);
    return { link: values.link, foreground: values.foreground === true, ...(httpPort === undefined ? {} : { httpPort }) };
  } catch (error) {
    stderrLine(`usage: entry.js --link <name> [--foreground] [--http-port <port>]: ${(error as Error).message}`);
    return undefined;
  }
}

async function main(argv: string[]): Promise<number> {
  const args = parse(argv);
  if (!args) return WorkerExitCode.USAGE;
  const controller = new AbortController();
  abortOnSignals(controller, () => {
    // The worker returns within 8 s of the signal; this is the backstop if something hangs anyway.
    setTimeout(() => {
      stderrLine(`worker for cluster link "${args.link}" did not stop within ${HARD_EXIT_MS / 1000} s; exiting`);
      process.exit(WorkerExitCode.INTERNAL);
    }, HARD_EXIT_MS).unref();
  });
  try {
    const outcome = await runWorker({
      link: args.link,
      configDir: defaultConfigDir(process.env),
      stateDir: defaultStateDir(process.env),
      env: process.env,
      signal: controller.signal,
      ...(args.httpPort === undefined ? {} : { httpPort: args.httpPort }),
      echo: args.foreground ? (line) => void process.stderr.write(line) : undefined,
    });
    return outcome === 'stop-timed-out' ? WorkerExitCode.INTERNAL : WorkerExitCode.STOPPED;
  } catch (error) {
    if (!wasLogged(error)) {
      stderrLine(error instanceof Error ? error.message : String(error), isClinkError(error) && error.suggestion ? { suggestion: error.suggestion } : undefined);
    }
    if (error instanceof WorkerLockHeldError) return WorkerExitCode.LOCKED;
    if (error instanceof HttpListenError) return WorkerExitCode.HTTP_LISTEN;
    return isClinkError(error) && error.code !== 'INTERNAL' ? WorkerExitCode.START_FAILED : WorkerExitCode.INTERNAL;
  }
}

process.on('uncaughtException', (error) => {
  stderrLine(`unexpected error in the worker: ${error.stack ?? error.message}`);
  process.exit(WorkerExitCode.INTERNAL);
});

main(process.argv.slice(2)).then(
  (code) => process.exit(code),
  (error: unknown) => {
    stderrLine(`unexpected error in the worker: ${String(error)}`);
    process.exit(WorkerExitCode.INTERNAL);
  },
);
