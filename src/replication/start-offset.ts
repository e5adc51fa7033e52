/**
 * Where a partition copier (re)starts. The destination's log end is the checkpoint: a partition that
 * already holds data resumes exactly there; an empty one starts where `mirror.start.offset.spec` says.
 * Invariants: the decision never fetches below the source's log start (the records are gone; the
 * destination is advanced over them with fillers and DeleteRecords instead); a destination whose log
 * end is beyond the source's high watermark is refused (the source was truncated or recreated, so the
 * offsets can no longer match); `deleteTo` never exceeds the offset the destination will have reached.
 */
import type { OffsetSpec } from '../core/link-config.js';
import type { RawCluster } from '../kafka/raw/index.js';
import { listOffset } from './raw-admin.js';

export interface StartPosition {
  destStart: bigint;
  destEnd: bigint;
  sourceStart: bigint;
  sourceEnd: bigint;
  /** First source offset to fetch; [destEnd, fetchFrom) is filled on the destination first. */
  fetchFrom: bigint;
  /** Advance the destination's log start to this offset (DeleteRecords) when above destStart. */
  deleteTo: bigint;
  warning?: string;
}

export class StartRefusedError extends Error {}

/** Tags an error with the side that raised it, so the copier can tell SOURCE_UNAVAILABLE from the rest. */
export class SideError extends Error {
  constructor(
    readonly side: 'source' | 'destination',
    readonly original: unknown,
  ) {
    super(original instanceof Error ? original.message : String(original));
  }
}

export async function onSide<T>(side: 'source' | 'destination', work: () => Promise<T>): Promise<T> {
  try {
    return await work();
  } catch (error) {
    throw error instanceof SideError || error instanceof StartRefusedError ? error : new SideError(side, error);
  }
}

export interface StartInput {
  source: RawCluster;
  dest: RawCluster;
  sourceTopic: string;
  destTopic: string;
  partition: number;
  spec: OffsetSpec;
}

async function specOffset(input: StartInput, sourceStart: bigint, sourceEnd: bigint): Promise<bigint> {
  const { spec } = input;
  if (spec.type === 'earliest') return sourceStart;
  if (spec.type === 'latest') return sourceEnd;
  const found = await onSide('source', () => listOffset(input.source, input.sourceTopic, input.partition, { timestampMs: spec.timestampMs }));
  return found < 0n ? sourceEnd : found;
}

export async function startPosition(input: StartInput): Promise<StartPosition> {
  const { source, dest, sourceTopic, destTopic, partition } = input;
  const [destStart, destEnd, sourceStart, sourceEnd] = await Promise.all([
    onSide('destination', () => listOffset(dest, destTopic, partition, 'earliest')),
    onSide('destination', () => listOffset(dest, destTopic, partition, 'latest')),
    onSide('source', () => listOffset(source, sourceTopic, partition, 'earliest')),
    onSide('source', () => listOffset(source, sourceTopic, partition, 'latest')),
  ]);
  if (destEnd > sourceEnd) {
    throw new StartRefusedError(
      `destination log end ${destEnd} is beyond the source high watermark ${sourceEnd} of ${sourceTopic}-${partition}: the source partition was truncated or recreated, so offsets can no longer match`,
    );
  }
  const fresh = destEnd === 0n && destStart === 0n;
  let fetchFrom = fresh ? await specOffset(input, sourceStart, sourceEnd) : destEnd;
  let warning: string | undefined;
  if (fetchFrom < sourceStart) {
    if (!fresh) warning = `source offsets ${fetchFrom}..${sourceStart - 1n} of ${sourceTopic}-${partition} were deleted before they were copied; the mirror skips them`;
    fetchFrom = sourceStart;
  }
  // Fillers written to reach fetchFrom are deleted at once; otherwise follow the source's log start.
  const deleteTo = fetchFrom > destEnd ? fetchFrom : sourceStart < destEnd ? sourceStart : destEnd;
  return { destStart, destEnd, sourceStart, sourceEnd, fetchFrom, deleteTo, ...(warning ? { warning } : {}) };
}

