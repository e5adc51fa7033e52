/**
 * Output of a failover/promote dry run: the usual per-partition result table, then the consumer
 * groups' impact. Human: two tables. json/yaml: `{ mirrors: [...], consumer_groups: [...], note? }`.
 */
import type { Printer } from '../../output/printer.js';
import { renderList } from '../../output/render-table.js';
import { toRecord } from '../../output/view.js';
import { mirrorAlterView } from '../../views/mirror-view.js';
import { groupImpactView } from '../../views/impact-view.js';
import type { AlterRow } from '../../../core/usecases/mirror-alter.js';
import type { GroupImpact } from '../../../core/usecases/mirror-impact.js';

export function printWithImpact(printer: Printer, rows: AlterRow[], impact: GroupImpact): void {
  const data = {
    mirrors: rows.map((r) => toRecord(mirrorAlterView, r)),
    consumer_groups: impact.rows.map((r) => toRecord(groupImpactView, r)),
    ...(impact.note ? { note: impact.note } : {}),
  };
  printer.data(data, () => {
    let text = renderList(mirrorAlterView, rows);
    text += '\nConsumer groups (records each would read again on the destination):\n';
    text += impact.note ? `${impact.note}\n` : renderList(groupImpactView, impact.rows);
    return text;
  });
}
