/**
 * `link task list`, and the one rule that a link with a link-level task enabled (ACL sync, consumer
 * offset sync, auto-create) has its worker started by whoever creates or changes the link
 * (`link create`, `link configuration update`, `apply -f`), unless told not to — as `mirror create`
 * starts it for a mirror.
 */
import type { WorkerPort, ConfigStorePort } from '../ports.js';
import { linkTasks, planWorkerStart, type LinkTask, type LinkTaskName } from '../model/link-tasks.js';
import { requireLink } from './link-query.js';
import { linkMirrors } from './mirror-auto.js';

export * from '../model/link-tasks.js';

export interface LinkTasksResult {
  link: string;
  workerRunning: boolean;
  tasks: LinkTask[];
}

/** `link task list`: the tasks of a stored link. */
export async function listLinkTasks(name: string, deps: { store: ConfigStorePort; workers: WorkerPort }): Promise<LinkTasksResult> {
  const data = await deps.store.read();
  const link = requireLink(data, name);
  const [workerRunning, status] = await Promise.all([deps.workers.isRunning(name), deps.workers.readStatus(name)]);
  const mirrorCount = linkMirrors(data, name, status).length;
  return { link: name, workerRunning, tasks: linkTasks({ link, mirrorCount, workerRunning, status }) };
}

/**
 * What happened to the worker after a link was created or changed:
 * started — it was not running and now is; running — it already ran; not-needed — no link-level task
 * is enabled; skipped — a task is enabled but the caller said not to start it (--no-start, a dry run,
 * --no-validate).
 */
export type WorkerStartOutcome = 'started' | 'running' | 'not-needed' | 'skipped';

export interface WorkerStartResult {
  outcome: WorkerStartOutcome;
  /** The enabled link-level tasks (those the worker runs with no mirror). */
  tasks: LinkTaskName[];
  /** The command that starts the worker by hand. */
  startCommand: string;
}

/**
 * Starts the link's worker if the stored link has a link-level task enabled (as `mirror create` does for
 * a mirror), unless `start` is false. Used by `link create`, `link configuration update` and `apply -f`.
 */
export async function startWorkerForLinkTasks(name: string, start: boolean, deps: { store: ConfigStorePort; workers: WorkerPort }): Promise<WorkerStartResult> {
  const link = requireLink(await deps.store.read(), name);
  const plan = planWorkerStart(name, link.configs, start);
  if (plan.tasks.length === 0) return { outcome: 'not-needed', tasks: [], startCommand: plan.startCommand };
  if (!plan.start) return { outcome: 'skipped', tasks: plan.tasks, startCommand: plan.startCommand };
  const wasRunning = await deps.workers.isRunning(name);
  await deps.workers.ensureRunning(name);
  return { outcome: wasRunning ? 'running' : 'started', tasks: plan.tasks, startCommand: plan.startCommand };
}
