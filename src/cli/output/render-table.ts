/**
 * Human tables in the Confluent CLI's shapes: a list is borderless (centred headers, `-`/`+` rule,
 * ` | ` between cells, numbers right-aligned); a single object is a bordered key/value table.
 * Pure: returns text, never writes.
 */
import Table from 'cli-table3';
import { cellText, isEmptyCell, type CellValue, type View } from './view.js';

const LIST_CHARS = {
  top: '', 'top-mid': '', 'top-left': '', 'top-right': '',
  bottom: '', 'bottom-mid': '', 'bottom-left': '', 'bottom-right': '',
  left: ' ', 'left-mid': '-', mid: '-', 'mid-mid': '+',
  right: '', 'right-mid': '', middle: '|',
};

const OBJECT_CHARS = {
  top: '-', 'top-mid': '+', 'top-left': '+', 'top-right': '+',
  bottom: '-', 'bottom-mid': '+', 'bottom-left': '+', 'bottom-right': '+',
  left: '|', 'left-mid': '', mid: '', 'mid-mid': '',
  right: '|', 'right-mid': '', middle: '|',
};

const NO_STYLE = { head: [] as string[], border: [] as string[], 'padding-left': 1, 'padding-right': 1 };

/** Cells wider than this wrap onto several lines (at commas or spaces when possible), like Confluent's tables. */
export const WRAP_WIDTH = 60;

export function wrapCell(text: string, width = WRAP_WIDTH): string {
  if (text.length <= width || text.includes('\n')) return text;
  const lines: string[] = [];
  let rest = text;
  while (rest.length > width) {
    const window = rest.slice(0, width + 1);
    const cut = Math.max(window.lastIndexOf(' '), window.lastIndexOf(','));
    const at = cut > width / 3 ? cut + 1 : width;
    lines.push(rest.slice(0, at).trimEnd());
    rest = rest.slice(at).trimStart();
  }
  if (rest) lines.push(rest);
  return lines.join('\n');
}

function alignOf(value: CellValue, explicit: 'left' | 'right' | undefined): 'left' | 'right' {
  return explicit ?? (typeof value === 'number' ? 'right' : 'left');
}

export function renderList<Row>(allColumns: View<Row>, rows: readonly Row[]): string {
  if (rows.length === 0) return 'None found.\n';
  const view = allColumns.filter((c) => !c.machineOnly);
  const table = new Table({ chars: LIST_CHARS, style: NO_STYLE });
  table.push(view.map((c) => ({ content: c.header, hAlign: 'center' as const })));
  // cli-table3 draws a rule between every row; keep only the one under the header, like tablewriter.
  for (const row of rows) {
    table.push(
      view.map((c) => {
        const value = c.get(row);
        return { content: wrapCell(c.text ? c.text(value) : cellText(value)), hAlign: alignOf(value, c.align) };
      }),
    );
  }
  const lines = table.toString().split('\n');
  const [header, rule, ...body] = lines;
  const kept = body.filter((line) => !/^-[-+]*$/.test(line));
  return [header, rule, ...kept].join('\n') + '\n';
}

export function renderObject<Row>(view: View<Row>, row: Row): string {
  const table = new Table({ chars: OBJECT_CHARS, style: NO_STYLE });
  for (const column of view) {
    if (column.machineOnly) continue;
    const value = column.get(row);
    if (column.omitEmpty && isEmptyCell(value)) continue;
    table.push([column.header, wrapCell(column.text ? column.text(value) : cellText(value))]);
  }
  return table.toString() + '\n';
}
