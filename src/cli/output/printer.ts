/**
 * The one way results leave clink. Data goes to stdout in the chosen format; messages for people
 * (progress, warnings, verbose logs) go to stderr so stdout stays parseable.
 */
import { renderList, renderObject } from './render-table.js';
import { renderData, renderMachineList, renderMachineObject } from './render-machine.js';
import type { OutputFormat } from './format.js';
import type { View } from './view.js';

export interface Streams {
  stdout: (text: string) => void;
  stderr: (text: string) => void;
}

export class Printer {
  constructor(
    readonly format: OutputFormat,
    private readonly streams: Streams,
  ) {}

  list<Row>(view: View<Row>, rows: readonly Row[]): void {
    this.streams.stdout(
      this.format === 'human' ? renderList(view, rows) : renderMachineList(this.format, view, rows),
    );
  }

  object<Row>(view: View<Row>, row: Row): void {
    this.streams.stdout(
      this.format === 'human' ? renderObject(view, row) : renderMachineObject(this.format, view, row),
    );
  }

  /** Structured data with no table form (for example the result of `link create` in json/yaml). */
  data(value: unknown, human: () => string): void {
    this.streams.stdout(this.format === 'human' ? human() : renderData(this.format, value));
  }

  /**
   * A sentence for people, such as `Created cluster link "dr-link".`: stdout for human output (as
   * Confluent), stderr when stdout carries json/yaml so that it stays parseable.
   */
  message(text: string): void {
    const line = text.endsWith('\n') ? text : text + '\n';
    if (this.format === 'human') this.streams.stdout(line);
    else this.streams.stderr(line);
  }

  /** A note for people on stderr (warnings, hints). */
  note(text: string): void {
    this.streams.stderr(text.endsWith('\n') ? text : text + '\n');
  }
}
