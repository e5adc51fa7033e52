/**
 * What a partition copier does about an error: the status it shows, whether it ever retries, and the
 * message. Invariants: only a broken offset alignment (destination base offset != source offset, a
 * destination beyond the source, data clink cannot rebuild) is fatal, i.e. the partition is FAILED and
 * never written again; errors raised on the source side show SOURCE_UNAVAILABLE; the destination
 * refusing the data shows FAILED but is retried (a config sync or an ACL change can fix it); anything
 * else is transient (ACTIVE with the error shown) and retried; no message carries a credential.
 */
import { RecordBatchFormatError, kafkaErrorName } from '../kafka/raw/index.js';
import { RebuildUnsupportedError } from './batch-codec.js';
import { SideError, StartRefusedError } from './start-offset.js';

export type CopierStatus = 'ACTIVE' | 'FAILED' | 'SOURCE_UNAVAILABLE';

export class CopierFault extends Error {
  constructor(
    message: string,
    readonly status: CopierStatus,
    readonly fatal: boolean,
    readonly side: 'source' | 'destination' | 'mirror',
    /** The destination said the batch is too large: sync topic configs before retrying. */
    readonly needsConfigSync = false,
  ) {
    super(message);
  }
}

/** Error codes meaning "the destination refuses this data or this client" rather than "try again". */
const REFUSED = new Set([2, 3, 10, 18, 29, 31, 32, 43, 44, 53, 76, 87]);
const TOO_LARGE = new Set([10, 18]);

export function produceFault(errorCode: number, errorMessage: string | null, where: string): CopierFault {
  const name = kafkaErrorName(errorCode);
  const detail = errorMessage ? `${name}: ${errorMessage}` : name;
  if (REFUSED.has(errorCode)) {
    return new CopierFault(`destination refused the append to ${where}: ${detail}`, 'FAILED', false, 'destination', TOO_LARGE.has(errorCode));
  }
  return new CopierFault(`append to ${where} failed: ${detail}`, 'ACTIVE', false, 'destination');
}

export function mismatchFault(where: string, sourceOffset: bigint, destinationOffset: bigint): CopierFault {
  return new CopierFault(
    `offset mismatch on ${where}: source offset ${sourceOffset} was appended at destination offset ${destinationOffset}; ` +
      'another producer wrote to the mirror topic, so it no longer matches the source and nothing more is copied to this partition',
    'FAILED', true, 'mirror',
  );
}

const messageOf = (error: unknown): string => (error instanceof Error ? error.message : String(error));

export function classify(error: unknown): CopierFault {
  if (error instanceof CopierFault) return error;
  if (error instanceof StartRefusedError) return new CopierFault(error.message, 'FAILED', true, 'mirror');
  if (error instanceof RebuildUnsupportedError || error instanceof RecordBatchFormatError) return new CopierFault(error.message, 'FAILED', true, 'mirror');
  if (error instanceof SideError) {
    if (error.side === 'source') return new CopierFault(`source unavailable: ${error.message}`, 'SOURCE_UNAVAILABLE', false, 'source');
    return new CopierFault(`destination: ${error.message}`, 'ACTIVE', false, 'destination');
  }
  return new CopierFault(messageOf(error), 'ACTIVE', false, 'destination');
}
