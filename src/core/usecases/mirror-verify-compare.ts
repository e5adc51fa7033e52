/**
 * Compares one partition of a mirror with its source, offset by offset, streaming both logs.
 * Invariants: an offset matches only when both sides hold the same thing there: records with equal
 * key, value, headers (in order), timestamp and timestamp type, or control markers of the same type, in the same aborted/committed state (the read_committed view);
 * or the destination holds a gap filler (or nothing) where the source holds nothing a read_committed
 * consumer sees (a hole, a control marker, aborted transactional data). The comparison stops at the
 * first offset that does not match, and never holds more than the streams' current chunks.
 */
import type { DataEntry, LogEntry } from './record-reader-port.js';

/** Key and header the replication engine gives the records it writes where the source has a gap (src/replication/batch-codec.ts). */
export const GAP_FILLER_KEY = '__clink.gap';
export const GAP_FILLER_HEADER = 'clink.gap';

export interface Difference {
  offset: bigint;
  detail: string;
}

export interface Comparison {
  /** Offsets compared and found matching, up to the first difference. */
  compared: number;
  /** Gap fillers on the destination that matched a source gap. */
  fillers: number;
  /** COMMIT/ABORT markers found on both sides at the same offset (mirror.transactions=exact). */
  markers?: number;
  difference?: Difference;
}

const FILLER_KEY_BYTES = Buffer.from(GAP_FILLER_KEY);

export function isGapFiller(entry: DataEntry): boolean {
  return (
    entry.value === null &&
    entry.key !== null &&
    entry.key.equals(FILLER_KEY_BYTES) &&
    entry.headers.some((h) => h.key === GAP_FILLER_HEADER && h.value !== null && h.value.toString() === '1')
  );
}

/** Pulls entries one at a time from a chunked stream; `head` is synchronous once `fill` resolved. */
class Cursor {
  private chunk: LogEntry[] = [];
  private index = 0;
  private done = false;
  private readonly iterator: AsyncIterator<LogEntry[]>;

  constructor(stream: AsyncIterable<LogEntry[]>) {
    this.iterator = stream[Symbol.asyncIterator]();
  }

  get ready(): boolean {
    return this.done || this.index < this.chunk.length;
  }

  async fill(): Promise<void> {
    while (!this.ready) {
      const next = await this.iterator.next();
      if (next.done) this.done = true;
      else [this.chunk, this.index] = [next.value, 0];
    }
  }

  head(): LogEntry | undefined {
    return this.chunk[this.index];
  }

  take(): void {
    this.index++;
  }

  async close(): Promise<void> {
    await this.iterator.return?.();
  }
}

const sameBytes = (a: Buffer | null, b: Buffer | null): boolean => (a === null || b === null ? a === b : a.equals(b));

function sameHeaders(a: DataEntry['headers'], b: DataEntry['headers']): boolean {
  return a.length === b.length && a.every((h, i) => h.key === b[i]?.key && sameBytes(h.value, b[i]?.value ?? null));
}

function recordDifference(source: DataEntry, destination: DataEntry): string | undefined {
  const fields: string[] = [];
  if (!sameBytes(source.key, destination.key)) fields.push('key');
  if (!sameBytes(source.value, destination.value)) fields.push('value');
  if (!sameHeaders(source.headers, destination.headers)) fields.push('headers');
  if (source.timestamp !== destination.timestamp) fields.push('timestamp');
  if (source.timestampType !== destination.timestampType) fields.push('timestamp type');
  if (fields.length === 0) return undefined;
  return `${fields.join(', ')} ${fields.length === 1 && fields[0] !== 'headers' ? 'differs' : 'differ'}`;
}

/** Nothing a read_committed consumer of the source would see at this offset. */
const invisible = (entry: LogEntry | undefined): boolean =>
  entry === undefined || entry.kind === 'control' || (entry.kind === 'record' && entry.aborted);

type Verdict = 'match' | 'filler' | string;

function judge(source: LogEntry | undefined, destination: LogEntry | undefined, offset: bigint, sourceEnd: bigint): Verdict {
  if (source?.kind === 'corrupt') return `source batch at offset ${offset} is corrupt: ${source.reason}`;
  if (destination?.kind === 'corrupt') return `destination batch at offset ${offset} is corrupt: ${destination.reason}`;
  if (destination === undefined) return invisible(source) ? 'match' : `destination has no record at offset ${offset}`;
  if (destination.kind === 'control') {
    if (source?.kind === 'control') {
      return source.marker === destination.marker ? 'match' : `control marker differs at offset ${offset} (${source.marker} on the source, ${destination.marker} on the destination)`;
    }
    return source === undefined ? `destination has a ${destination.marker} marker at offset ${offset} that the source does not have` : `destination has a ${destination.marker} marker at offset ${offset} where the source has a record`;
  }
  if (isGapFiller(destination) && (invisible(source) || (source?.kind === 'record' && isGapFiller(source)))) return 'filler';
  if (source === undefined) {
    return offset >= sourceEnd
      ? `destination has records past the source log end ${sourceEnd}, from offset ${offset}`
      : `destination has a record at offset ${offset} that the source does not have`;
  }
  if (source.kind === 'control') return `source has a ${source.marker} marker at offset ${offset} where the destination has a record`;
  if (isGapFiller(destination)) return `destination has a gap filler at offset ${offset} where the source has a record`;
  const difference = recordDifference(source, destination);
  if (difference !== undefined) return `${difference} at offset ${offset}`;
  // The read_committed view: aborted data must be aborted on both sides (the aborted-transaction index).
  if (source.aborted !== destination.aborted) {
    return `record at offset ${offset} is ${source.aborted ? 'aborted' : 'committed'} on the source but ${destination.aborted ? 'aborted' : 'visible to read_committed consumers'} on the destination`;
  }
  return 'match';
}

/**
 * Walks both streams in offset order and stops at the first mismatch. `sourceEnd` is where the
 * source's log ended when it was read (only used to word a difference).
 */
export async function compareLogs(source: AsyncIterable<LogEntry[]>, destination: AsyncIterable<LogEntry[]>, sourceEnd: bigint): Promise<Comparison> {
  const src = new Cursor(source);
  const dst = new Cursor(destination);
  const result: Comparison = { compared: 0, fillers: 0 };
  try {
    for (;;) {
      if (!src.ready || !dst.ready) await Promise.all([src.fill(), dst.fill()]);
      const s = src.head();
      const d = dst.head();
      if (s === undefined && d === undefined) return result;
      const offset = s === undefined ? (d as LogEntry).offset : d === undefined || s.offset <= d.offset ? s.offset : d.offset;
      const sourceAt = s?.offset === offset ? s : undefined;
      const destinationAt = d?.offset === offset ? d : undefined;
      if (sourceAt) src.take();
      if (destinationAt) dst.take();
      const verdict = judge(sourceAt, destinationAt, offset, sourceEnd);
      if (verdict !== 'match' && verdict !== 'filler') {
        result.difference = { offset, detail: verdict };
        return result;
      }
      result.compared++;
      if (verdict === 'filler') result.fillers++;
      else if (destinationAt?.kind === 'control') result.markers = (result.markers ?? 0) + 1;
    }
  } finally {
    await Promise.all([src.close(), dst.close()]);
  }
}
