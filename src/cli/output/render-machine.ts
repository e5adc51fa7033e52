/**
 * JSON and YAML renderings of a view: snake_case keys in view order; lists are arrays (`[]` when
 * empty), single results are objects. YAML quotes strings that look like numbers.
 */
import { stringify } from 'yaml';
import { toRecord, type View } from './view.js';

export type MachineFormat = 'json' | 'yaml';

export function renderData(format: MachineFormat, data: unknown): string {
  if (format === 'json') return JSON.stringify(data, null, 2) + '\n';
  return stringify(data, { lineWidth: 0 });
}

export function renderMachineList<Row>(format: MachineFormat, view: View<Row>, rows: readonly Row[]): string {
  return renderData(format, rows.map((row) => toRecord(view, row)));
}

export function renderMachineObject<Row>(format: MachineFormat, view: View<Row>, row: Row): string {
  return renderData(format, toRecord(view, row));
}
