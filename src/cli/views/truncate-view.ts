/** How `mirror truncate-and-restore` results are shown: Confluent's columns, plus the set-aside topic. */
import type { TopicTruncation } from '../../core/usecases/mirror-truncate.js';
import type { View } from '../output/view.js';

export const truncateTopicView: View<TopicTruncation> = [
  { key: 'mirror_topic_name', header: 'Mirror Topic Name', get: (t) => t.mirrorTopic },
  { key: 'error_message', header: 'Error Message', get: (t) => t.error?.message ?? '' },
  { key: 'error_code', header: 'Error Code', get: (t) => t.error?.code ?? '' },
  { key: 'messages_truncated', header: 'Messages Truncated', get: (t) => t.partitions.reduce((sum, p) => sum + p.messagesTruncated, 0) },
  { key: 'set_aside_topic', header: 'Set Aside Topic', get: (t) => t.setAsideTopic },
  { key: 'records_set_aside', header: 'Records Set Aside', get: (t) => t.partitions.reduce((sum, p) => sum + p.recordsSetAside, 0) },
];

export interface TruncatePartitionRow {
  mirrorTopic: string;
  partition: number;
  errorMessage: string;
  errorCode: string;
  messagesTruncated: number;
  /** Confluent prints it as a string, empty when nothing was truncated. */
  offsetTruncatedTo: string;
  setAsideTopic: string;
  recordsSetAside: number;
}

export function truncatePartitionRows(topics: readonly TopicTruncation[]): TruncatePartitionRow[] {
  return topics.flatMap((t): TruncatePartitionRow[] =>
    t.error
      ? [{ mirrorTopic: t.mirrorTopic, partition: -1, errorMessage: t.error.message, errorCode: t.error.code, messagesTruncated: 0, offsetTruncatedTo: '', setAsideTopic: '', recordsSetAside: 0 }]
      : t.partitions.map((p) => ({
          mirrorTopic: t.mirrorTopic,
          partition: p.partition,
          errorMessage: '',
          errorCode: '',
          messagesTruncated: p.messagesTruncated,
          offsetTruncatedTo: p.offsetTruncatedTo === null ? '' : String(p.offsetTruncatedTo),
          setAsideTopic: p.messagesTruncated > 0 ? t.setAsideTopic : '',
          recordsSetAside: p.recordsSetAside,
        })),
  );
}

export const truncatePartitionView: View<TruncatePartitionRow> = [
  { key: 'mirror_topic_name', header: 'Mirror Topic Name', get: (r) => r.mirrorTopic },
  { key: 'partition', header: 'Partition', get: (r) => r.partition },
  { key: 'error_message', header: 'Error Message', get: (r) => r.errorMessage },
  { key: 'error_code', header: 'Error Code', get: (r) => r.errorCode },
  { key: 'messages_truncated', header: 'Messages Truncated', get: (r) => r.messagesTruncated },
  { key: 'offset_truncated_to', header: 'Offset Truncated To', get: (r) => r.offsetTruncatedTo, align: 'left' },
  { key: 'set_aside_topic', header: 'Set Aside Topic', get: (r) => r.setAsideTopic },
  { key: 'records_set_aside', header: 'Records Set Aside', get: (r) => r.recordsSetAside },
];
