/** How `link create` and `link configuration update` report what happened to the link's worker. */
import { describeTasks, type WorkerStartResult } from '../../core/usecases/link-tasks.js';
import type { WorkerSkipReason } from '../../core/usecases/link-create.js';

type Result = WorkerStartResult & { skipReason?: WorkerSkipReason };

/** One sentence for people, or '' when the link has no link-level task. */
export function workerStartText(link: string, result: Result): string {
  const tasks = describeTasks(result.tasks);
  switch (result.outcome) {
    case 'not-needed':
      return '';
    case 'started':
      return `Started the worker of cluster link "${link}": ${tasks} running.\n`;
    case 'running':
      return `The worker of cluster link "${link}" is running: ${tasks} running.\n`;
    case 'skipped':
      if (result.skipReason === 'dry-run') return `[DRY RUN] Would start the worker of cluster link "${link}" for ${tasks}.\n`;
      return `Did not start the worker of cluster link "${link}" (--${result.skipReason ?? 'no-start'}): ${tasks} will not run until you start it with \`${result.startCommand}\`.\n`;
  }
}

/** The same as fields in json/yaml. */
export function workerStartData(result: Result): Record<string, unknown> {
  return {
    outcome: result.outcome,
    tasks: result.tasks,
    start_command: result.startCommand,
    ...(result.skipReason ? { skip_reason: result.skipReason } : {}),
  };
}
