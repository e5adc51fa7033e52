/** `clink worker logs <link>`: the tail of the link's worker log, and with --follow every new line until Ctrl-C. */
import { Command, InvalidArgumentError } from 'commander';
import { contextFor } from '../../context.js';

function lineCount(value: string): number {
  if (!/^\d+$/.test(value)) throw new InvalidArgumentError('Give a whole number of lines.');
  return Number(value);
}

export function buildWorkerLogsCommand(): Command {
  return new Command('logs')
    .description('Print the log of the worker of a cluster link.')
    .argument('<link>', 'Name of the cluster link.')
    .option('--lines <n>', 'Number of lines to print from the end of the log.', lineCount, 50)
    .option('-f, --follow', 'Keep printing new lines as the worker writes them, until interrupted.')
    .addHelpText('after', '\nExamples:\n  $ clink worker logs dr-link --lines 100\n  $ clink worker logs dr-link --follow')
    .action(async (name: string, opts: { lines: number; follow?: boolean }, command: Command) => {
      const ctx = contextFor(command);
      const queries = await import('../../../worker/queries.js');
      const dirs = { configDir: ctx.configDir, stateDir: ctx.stateDir };
      const print = (lines: string[]) => ctx.printer.data({ link_name: name, lines }, () => lines.map((l) => `${l}\n`).join(''));
      if (opts.follow) {
        const onText = (text: string) => print(text.replace(/\n$/, '').split('\n'));
        await queries.followWorkerLog(name, { ...dirs, lines: opts.lines, signal: new AbortController().signal, onText });
        return;
      }
      const tail = await queries.workerLogTail(name, opts.lines, dirs);
      if (tail.lines.length === 0 && ctx.output === 'human') ctx.printer.note(`No log lines from the worker of cluster link "${name}" yet.`);
      else print(tail.lines);
    });
}
