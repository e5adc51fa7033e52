/** How mirror topics are shown: Confluent's mirror list, mirror describe and state-change result columns. */
import type { View } from '../output/view.js';
import type { MirrorRow, PartitionRow } from '../../core/usecases/mirror-query.js';
import type { AlterRow } from '../../core/usecases/mirror-alter.js';
import { writerText, writersWarning } from '../../core/usecases/mirror-writers.js';
import type { TransitionError } from '../../core/model/transition-errors.js';

export const mirrorListView: View<MirrorRow> = [
  { key: 'link_name', header: 'Link Name', get: (m) => m.linkName },
  { key: 'mirror_topic_name', header: 'Mirror Topic Name', get: (m) => m.mirrorTopic },
  { key: 'source_topic_name', header: 'Source Topic Name', get: (m) => m.sourceTopic },
  { key: 'mirror_status', header: 'Mirror Status', get: (m) => m.status },
  { key: 'status_time_ms', header: 'Status Time (ms)', get: (m) => m.statusTimeMs },
  { key: 'num_partition', header: 'Num Partition', get: (m) => m.numPartitions },
  { key: 'max_per_partition_mirror_lag', header: 'Max Per Partition Mirror Lag', get: (m) => m.maxLag },
];

export const mirrorDescribeView: View<PartitionRow> = [
  { key: 'link_name', header: 'Link Name', get: (p) => p.linkName },
  { key: 'mirror_topic_name', header: 'Mirror Topic Name', get: (p) => p.mirrorTopic },
  { key: 'source_topic_name', header: 'Source Topic Name', get: (p) => p.sourceTopic },
  { key: 'mirror_status', header: 'Mirror Status', get: (p) => p.status },
  { key: 'mirror_topic_error', header: 'Mirror Topic Error', get: (p) => p.mirrorTopicError },
  { key: 'status_time_ms', header: 'Status Time (ms)', get: (p) => p.statusTimeMs },
  { key: 'partition', header: 'Partition', get: (p) => p.partition },
  { key: 'partition_mirror_lag', header: 'Partition Mirror Lag', get: (p) => p.lag },
  { key: 'last_source_fetch_offset', header: 'Last Source Fetch Offset', get: (p) => p.lastSourceFetchOffset },
  { key: 'source_high_watermark', header: 'Source High Watermark', get: (p) => p.sourceHighWatermark },
  { key: 'destination_log_end_offset', header: 'Destination Log End Offset', get: (p) => p.destinationLogEnd },
  { key: 'transactions', header: 'Transactions', get: (p) => p.transactions, machineOnly: true },
  { key: 'transactions_fallback_reason', header: 'Transactions Fallback Reason', get: (p) => p.transactionsFallback, machineOnly: true },
  { key: 'writable_by', header: 'Writable By', get: (p) => p.writers.map(writerText), machineOnly: true },
];

/** Warnings for people (stderr, every format): transactions mirrored as fillers, other principals able to write. */
export function mirrorDescribeWarnings(rows: readonly PartitionRow[]): string[] {
  const out: string[] = [];
  const fellBack = rows.filter((r) => r.transactionsFallback !== '');
  const first = fellBack[0];
  if (first) {
    const which = fellBack.map((r) => r.partition).join(', ');
    out.push(`Warning: partition${fellBack.length === 1 ? '' : 's'} ${which} of mirror topic "${first.mirrorTopic}" mirror source transactions as filler records: ${first.transactionsFallback}`);
  }
  const writers = rows[0]?.writers ?? [];
  if (rows[0] && writers.length > 0) out.push(writersWarning(rows[0].mirrorTopic, rows[0].linkName, writers));
  return out;
}

export const mirrorAlterView: View<AlterRow> = [
  { key: 'mirror_topic_name', header: 'Mirror Topic Name', get: (r) => r.mirrorTopic },
  { key: 'partition', header: 'Partition', get: (r) => r.partition },
  { key: 'partition_mirror_lag', header: 'Partition Mirror Lag', get: (r) => r.lag },
  { key: 'last_source_fetch_offset', header: 'Last Source Fetch Offset', get: (r) => r.lastSourceFetchOffset },
  { key: 'error_message', header: 'Error Message', get: (r) => r.errorMessage },
  { key: 'error_code', header: 'Error Code', get: (r) => r.errorCode },
];

/** Confluent's `mirror state-transition-error list` columns, then when and by which operation. */
export const transitionErrorView: View<TransitionError> = [
  { key: 'error_code', header: 'Mirror State Transition Error Code', get: (e) => e.code },
  { key: 'error_message', header: 'Mirror State Transition Error Message', get: (e) => e.message },
  { key: 'operation', header: 'Operation', get: (e) => e.operation },
  { key: 'error_time_ms', header: 'Error Time (ms)', get: (e) => e.timeMs },
];
