/** The consumer-group impact table that `--dry-run` of failover and promote adds. */
import type { View } from '../output/view.js';
import type { GroupImpactRow } from '../../core/usecases/mirror-impact.js';

export const groupImpactView: View<GroupImpactRow> = [
  { key: 'group', header: 'Consumer Group', get: (r) => r.group },
  { key: 'mirror_topic_name', header: 'Mirror Topic Name', get: (r) => r.mirrorTopic },
  { key: 'partition', header: 'Partition', get: (r) => r.partition },
  { key: 'source_offset', header: 'Source Offset', get: (r) => r.sourceOffset },
  { key: 'destination_offset', header: 'Destination Offset', get: (r) => r.destinationOffset },
  { key: 'records_to_reread', header: 'Records To Re-read', get: (r) => r.recordsToReread },
];
