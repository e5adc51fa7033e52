/**
 * A view says how one kind of result is shown: each column has a human header (Confluent's table
 * headers) and a machine key (snake_case, stable: renaming one is a breaking change).
 */
export type CellValue = string | number | boolean | null | undefined | readonly string[] | readonly Readonly<Record<string, unknown>>[];

export interface Column<Row> {
  key: string;
  header: string;
  get: (row: Row) => CellValue;
  /** Numbers are right-aligned in human tables unless told otherwise. */
  align?: 'left' | 'right';
  /** Drop the row from a human key/value table when the value is empty (Confluent's omitempty). */
  omitEmpty?: boolean;
  /** Only in json/yaml (a human column says the same in words). */
  machineOnly?: boolean;
  /** How a human table writes the value, when not cellText (e.g. a list of structured errors). */
  text?: (value: CellValue) => string;
}

export type View<Row> = readonly Column<Row>[];

export function toRecord<Row>(view: View<Row>, row: Row): Record<string, CellValue> {
  const record: Record<string, CellValue> = {};
  for (const column of view) record[column.key] = column.get(row);
  return record;
}

export function isEmptyCell(value: CellValue): boolean {
  return value === undefined || value === null || value === '' || (Array.isArray(value) && value.length === 0);
}

export function cellText(value: CellValue): string {
  if (value === undefined || value === null) return '';
  if (Array.isArray(value)) return value.map((v) => (typeof v === 'string' ? v : JSON.stringify(v))).join(', ');
  return String(value);
}
