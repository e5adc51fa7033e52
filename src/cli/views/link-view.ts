/** How cluster links are shown (Confluent's `link list`, `link describe`, `link configuration list`). */
import type { View } from '../output/view.js';
import type { LinkStatus } from '../../core/usecases/link-query.js';
import type { EffectiveConfig } from '../../core/usecases/link-ports.js';
import { describeTasks, type LinkTask } from '../../core/model/link-tasks.js';
import { writerText, writersWarning } from '../../core/usecases/mirror-writers.js';

const name = { key: 'link_name', header: 'Name', get: (l: LinkStatus) => l.name };
const id = { key: 'link_id', header: 'ID', get: (l: LinkStatus) => l.linkId };
const topic = { key: 'topic_name', header: 'Topic Name', get: (l: LinkStatus) => l.topicName ?? '' };
const rest: View<LinkStatus> = [
  { key: 'source_cluster', header: 'Source Cluster', get: (l) => l.sourceClusterId },
  { key: 'source_bootstrap_servers', header: 'Source Bootstrap Servers', get: (l) => l.sourceBootstrapServers },
  { key: 'destination_cluster', header: 'Destination Cluster', get: (l) => l.destination },
  { key: 'state', header: 'State', get: (l) => l.state },
  { key: 'error', header: 'Error', get: (l) => l.error, omitEmpty: true },
  { key: 'error_message', header: 'Error Message', get: (l) => l.errorMessage, omitEmpty: true },
];

export function linkListView(includeTopics: boolean): View<LinkStatus> {
  return includeTopics ? [name, id, topic, ...rest] : [name, id, ...rest];
}

const iso = (ms: number | undefined) => (ms === undefined ? '' : new Date(ms).toISOString());

function offsetSyncText(l: LinkStatus): string {
  const s = l.syncs?.consumer_offset_sync;
  if (!s) return '';
  if (!s.enabled) return 'disabled';
  const last = s.lastSuccessAtMs === undefined ? 'not yet synced' : `last synced ${iso(s.lastSuccessAtMs)}: ${s.groups ?? 0} groups, ${s.partitions ?? 0} partitions`;
  return s.error ? `${last}; error: ${s.error}` : last;
}

function aclSyncText(l: LinkStatus): string {
  const s = l.syncs?.acl_sync;
  if (!s) return '';
  if (!s.enabled) return 'disabled';
  const last = s.lastSuccessAtMs === undefined ? 'not yet synced' : `last synced ${iso(s.lastSuccessAtMs)}: ${s.acls ?? 0} ACLs`;
  return s.error ? `${last}; error: ${s.error}` : last;
}

/** `exact`, `fillers`, or exact with the partitions that fell back to fillers and why. */
function transactionsText(l: LinkStatus): string {
  const t = l.transactions;
  if (!t) return '';
  const [first, ...more] = t.fallbacks;
  if (t.mode === 'fillers' || first === undefined) return t.mode;
  const also = more.length === 0 ? '' : ` (also ${more.map((f) => `${f.mirrorTopic}-${f.partition}`).join(', ')})`;
  return `exact, but ${t.fallbacks.length} mirror partition${t.fallbacks.length === 1 ? '' : 's'} fell back to fillers: ${first.reason}${also}`;
}

const writerLines = (l: LinkStatus) => (l.mirrorWriters ?? []).flatMap((m) => m.writers.map((w) => `${m.mirrorTopic}: ${writerText(w)}`));

export const linkDescribeView: View<LinkStatus> = [
  name,
  id,
  { key: 'source_cluster', header: 'Source Cluster', get: (l) => l.sourceClusterId },
  { key: 'source_bootstrap_servers', header: 'Source Bootstrap Servers', get: (l) => l.sourceBootstrapServers },
  { key: 'destination_cluster', header: 'Destination Cluster', get: (l) => l.destination },
  { key: 'destination_cluster_id', header: 'Destination Cluster ID', get: (l) => l.destinationClusterId },
  { key: 'link_mode', header: 'Link Mode', get: (l) => l.linkMode },
  { key: 'state', header: 'State', get: (l) => l.state },
  { key: 'error', header: 'Error', get: (l) => l.error, omitEmpty: true },
  { key: 'error_message', header: 'Error Message', get: (l) => l.errorMessage, omitEmpty: true },
  { key: 'worker_running', header: 'Worker Running', get: (l) => l.workerRunning ?? false },
  { key: 'consumer_offset_sync', header: 'Consumer Offset Sync', get: offsetSyncText, omitEmpty: true },
  { key: 'consumer_offset_sync_last_synced_ms', header: 'Offsets Last Synced (ms)', get: (l) => l.syncs?.consumer_offset_sync?.lastSuccessAtMs ?? null, omitEmpty: true, machineOnly: true },
  { key: 'consumer_offset_sync_groups', header: 'Offset Sync Groups', get: (l) => l.syncs?.consumer_offset_sync?.groups ?? null, omitEmpty: true, machineOnly: true },
  { key: 'consumer_offset_sync_partitions', header: 'Offset Sync Partitions', get: (l) => l.syncs?.consumer_offset_sync?.partitions ?? null, omitEmpty: true, machineOnly: true },
  { key: 'acl_sync', header: 'ACL Sync', get: aclSyncText, omitEmpty: true },
  { key: 'acl_sync_acls', header: 'ACL Sync ACLs', get: (l) => l.syncs?.acl_sync?.acls ?? null, omitEmpty: true, machineOnly: true },
  { key: 'mirror_transactions', header: 'Mirror Transactions', get: transactionsText, omitEmpty: true },
  {
    key: 'mirror_transactions_fallbacks', header: 'Transactions Fallbacks', machineOnly: true,
    get: (l) => (l.transactions?.fallbacks ?? []).map((f) => ({ mirror_topic_name: f.mirrorTopic, partition: f.partition, reason: f.reason })),
  },
  { key: 'mirror_writers', header: 'Writable Mirror Topics', get: writerLines, text: (v) => (v as readonly string[]).join('\n'), omitEmpty: true },
  { key: 'tasks', header: 'Tasks', get: (l) => (l.tasks ?? []).map(taskData), text: (v) => (v as unknown as TaskData[]).map(taskText).join(', '), omitEmpty: true },
  { key: 'worker_start_command', header: 'Worker Start Command', get: (l) => l.workerStartCommand ?? null, machineOnly: true },
  { key: 'note', header: 'Note', get: (l) => linkDescribeNote(l) || null, machineOnly: true },
];

const STATE_WORDS: Record<string, string> = { ACTIVE: 'running', STOPPED: 'not running: the worker is stopped', IN_ERROR: 'error' };

type TaskData = {
  task_name: string;
  state: string;
  errors: Array<{ error_code: string; error_message: string }>;
};

/** Confluent's `CODE: "message"` items joined with ", ". */
const errorsText = (errors: TaskData['errors']) => errors.map((e) => `${e.error_code}: "${e.error_message}"`).join(', ');

function taskText(t: TaskData): string {
  const errors = errorsText(t.errors);
  return `${t.task_name} ${t.state} (${STATE_WORDS[t.state] ?? t.state}${errors ? `: ${errors}` : ''})`;
}

/** Confluent's task shape (`link task list -o json`). */
function taskData(t: LinkTask): TaskData {
  return { task_name: t.name, state: t.state, errors: t.errors.map((e) => ({ error_code: e.code, error_message: e.message })) };
}

/** Confluent's `link task list`: Task Name | State | Errors. */
export const linkTaskView: View<LinkTask> = [
  { key: 'task_name', header: 'Task Name', get: (t) => t.name },
  { key: 'state', header: 'State', get: (t) => t.state },
  { key: 'errors', header: 'Errors', get: (t) => taskData(t).errors, text: (v) => errorsText(v as unknown as TaskData['errors']) },
];

/** When the link's tasks cannot run because its worker is stopped: what to run. '' otherwise. */
export function linkDescribeNote(l: LinkStatus): string {
  if (!l.workerStartCommand) return '';
  const linkLevel = (l.tasks ?? []).map((t) => t.name).filter((n) => n === 'AclSync' || n === 'ConsumerOffsetSync' || n === 'AutoCreateMirror');
  const what = linkLevel.length > 0 ? describeTasks(linkLevel) : 'mirroring';
  return `The worker of cluster link "${l.name}" is not running, so ${what} does not run. Start it with \`${l.workerStartCommand}\`.`;
}

/** One warning per ACTIVE/PAUSED mirror topic that principals other than the link's can write to. */
export function linkWriterWarnings(l: LinkStatus): string[] {
  return (l.mirrorWriters ?? []).map((m) => writersWarning(m.mirrorTopic, l.name, m.writers));
}

export const linkConfigView: View<EffectiveConfig> = [
  { key: 'config_name', header: 'Config Name', get: (c) => c.name },
  { key: 'config_value', header: 'Config Value', get: (c) => c.value },
  { key: 'read_only', header: 'Read-Only', get: (c) => c.readOnly },
  { key: 'sensitive', header: 'Sensitive', get: (c) => c.sensitive },
  { key: 'source', header: 'Source', get: (c) => c.source },
  { key: 'synonyms', header: 'Synonyms', get: () => [] as string[] },
];
