/**
 * A link's tasks (Confluent's `link task list`): mirror data, topic config sync, and the link-level
 * tasks that run without any mirror (consumer offset sync, ACL sync, auto-create), all in the link's
 * one worker. Invariant: a task's state is derived, never stored — from the link's configs, its mirror
 * count, whether its worker runs and what the worker last reported. Pure.
 */
import type { WorkerStatusFile } from './mirror.js';
import type { LinkRecord } from './link.js';

export const LINK_TASK_NAMES = ['AclSync', 'AutoCreateMirror', 'ConsumerOffsetSync', 'MirrorData', 'TopicConfigsSync'] as const;
export type LinkTaskName = (typeof LINK_TASK_NAMES)[number];

/** ACTIVE and IN_ERROR and NOT_CONFIGURED are Confluent's; STOPPED: enabled, but the link's worker is not running. */
export type LinkTaskState = 'ACTIVE' | 'IN_ERROR' | 'STOPPED' | 'NOT_CONFIGURED';

export interface LinkTaskError {
  code: string;
  message: string;
}

export interface LinkTask {
  name: LinkTaskName;
  state: LinkTaskState;
  errors: LinkTaskError[];
}

/** The tasks that run without a mirror, with the config that enables each and its words. */
const LINK_LEVEL: ReadonlyArray<readonly [LinkTaskName, string, string]> = [
  ['AclSync', 'acl.sync.enable', 'ACL sync'],
  ['AutoCreateMirror', 'auto.create.mirror.topics.enable', 'auto-create mirror topics'],
  ['ConsumerOffsetSync', 'consumer.offset.sync.enable', 'consumer offset sync'],
];

const isTrue = (value: string | undefined) => (value ?? '').trim().toLowerCase() === 'true';

/** The link-level tasks the configs enable, in name order. */
export function enabledLinkLevelTasks(configs: Record<string, string>): LinkTaskName[] {
  return LINK_LEVEL.filter(([, key]) => isTrue(configs[key])).map(([name]) => name);
}

/** "ACL sync and consumer offset sync" */
export function describeTasks(tasks: readonly LinkTaskName[]): string {
  const words = tasks.map((t) => LINK_LEVEL.find(([name]) => name === t)?.[2] ?? t);
  return words.length <= 1 ? (words[0] ?? '') : `${words.slice(0, -1).join(', ')} and ${words.at(-1)}`;
}

export const workerStartCommand = (link: string) => `clink worker start ${link}`;

export interface TaskInput {
  link: LinkRecord;
  /** Mirrors of the link (stored and auto-created). */
  mirrorCount: number;
  workerRunning: boolean;
  status?: WorkerStatusFile;
}

/** Every task of the link with its state, sorted by name (Confluent's order). Pure. */
export function linkTasks(input: TaskInput): LinkTask[] {
  const { link, mirrorCount, workerRunning, status } = input;
  const enabled = new Set(enabledLinkLevelTasks(link.configs));
  if (mirrorCount > 0) {
    enabled.add('MirrorData');
    enabled.add('TopicConfigsSync');
  }
  const errorsOf = (name: LinkTaskName): LinkTaskError[] => {
    if (!workerRunning || !status) return [];
    const errors: LinkTaskError[] = [];
    if (name === 'AclSync' && status.syncs?.acl_sync?.error) errors.push({ code: 'SYNC_ERROR', message: status.syncs.acl_sync.error });
    if (name === 'ConsumerOffsetSync' && status.syncs?.consumer_offset_sync?.error) errors.push({ code: 'SYNC_ERROR', message: status.syncs.consumer_offset_sync.error });
    if (name === 'MirrorData') {
      if (status.error) errors.push({ code: 'LINK_ERROR', message: status.error });
      for (const mirror of Object.values(status.mirrors).sort((a, b) => (a.mirrorTopic < b.mirrorTopic ? -1 : 1))) {
        if (mirror.error) errors.push({ code: mirror.status === 'SOURCE_UNAVAILABLE' ? 'SOURCE_UNAVAILABLE' : 'MIRROR_ERROR', message: `${mirror.mirrorTopic}: ${mirror.error}` });
      }
    }
    return errors;
  };
  return LINK_TASK_NAMES.map((name): LinkTask => {
    if (!enabled.has(name)) return { name, state: 'NOT_CONFIGURED', errors: [] };
    if (!workerRunning) return { name, state: 'STOPPED', errors: [] };
    const errors = errorsOf(name);
    return { name, state: errors.length > 0 ? 'IN_ERROR' : 'ACTIVE', errors };
  });
}

/** The decision alone (pure): which link-level tasks want a worker, and whether to start it. */
export function planWorkerStart(link: string, configs: Record<string, string>, start: boolean): { tasks: LinkTaskName[]; start: boolean; startCommand: string } {
  const tasks = enabledLinkLevelTasks(configs);
  return { tasks, start: start && tasks.length > 0, startCommand: workerStartCommand(link) };
}

