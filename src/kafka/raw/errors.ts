/**
 * Typed errors and broker error-code names for the raw batch layer.
 * Invariant: every Kafka error code maps to exactly one stable upper-case name (kafkajs's table, newer
 * codes from Kafka 4.1's Errors enum, else UNKNOWN_CODE_<n>); kafkajs exceptions never escape the raw
 * layer unwrapped, they become ClinkError subclasses carrying the broker address, never credentials.
 */
import {
  AuthenticationError,
  ClinkError,
  ClusterUnreachableError,
  ErrorCode,
  TimeoutError,
  type ClinkErrorOptions,
} from '../../core/errors.js';
import { isKafkaJsError, kafkajsErrorCodes } from './kafkajs-internals.js';

const NEWER_CODES: Record<number, string> = {
  89: 'THROTTLING_QUOTA_EXCEEDED',
  90: 'PRODUCER_FENCED',
  99: 'POSITION_OUT_OF_RANGE',
  100: 'UNKNOWN_TOPIC_ID',
  103: 'INCONSISTENT_TOPIC_ID',
  105: 'TRANSACTIONAL_ID_NOT_FOUND',
  106: 'FETCH_SESSION_TOPIC_ID_ERROR',
  107: 'INELIGIBLE_REPLICA',
  108: 'NEW_LEADER_ELECTED',
  109: 'OFFSET_MOVED_TO_TIERED_STORAGE',
  120: 'TRANSACTION_ABORTABLE',
};

const NAMES = new Map<number, string>([[0, 'NONE']]);
for (const entry of kafkajsErrorCodes) NAMES.set(entry.code, entry.type);
for (const [code, name] of Object.entries(NEWER_CODES)) NAMES.set(Number(code), name);

/** Well-known codes the raw layer and the engine branch on. */
export const KafkaErrorCode = {
  NONE: 0,
  OFFSET_OUT_OF_RANGE: 1,
  CORRUPT_MESSAGE: 2,
  UNKNOWN_TOPIC_OR_PARTITION: 3,
  LEADER_NOT_AVAILABLE: 5,
  NOT_LEADER_OR_FOLLOWER: 6,
  REQUEST_TIMED_OUT: 7,
  MESSAGE_TOO_LARGE: 10,
  NOT_ENOUGH_REPLICAS: 19,
  NOT_ENOUGH_REPLICAS_AFTER_APPEND: 20,
  TOPIC_AUTHORIZATION_FAILED: 29,
  INVALID_TIMESTAMP: 32,
  UNSUPPORTED_FOR_MESSAGE_FORMAT: 43,
  TRANSACTIONAL_ID_AUTHORIZATION_FAILED: 53,
  KAFKA_STORAGE_ERROR: 56,
  FENCED_LEADER_EPOCH: 74,
  UNKNOWN_LEADER_EPOCH: 75,
  UNSUPPORTED_COMPRESSION_TYPE: 76,
  OFFSET_NOT_AVAILABLE: 78,
  INVALID_RECORD: 87,
} as const;

/** The name of a Kafka error code, e.g. 6 → NOT_LEADER_FOR_PARTITION (kafkajs's spelling of NOT_LEADER_OR_FOLLOWER). */
export function kafkaErrorName(code: number): string {
  return NAMES.get(code) ?? `UNKNOWN_CODE_${code}`;
}

const STALE_METADATA = new Set<number>([3, 5, 6, 74, 75, 103, 107, 108]);

/** True when the error means "ask someone else / refresh metadata and try again". */
export function isStaleMetadataError(code: number): boolean {
  return STALE_METADATA.has(code);
}

/** A malformed or unsupported record batch (bad magic, short header, invalid codec, CRC mismatch). */
export class RecordBatchFormatError extends ClinkError {
  constructor(message: string, options: ClinkErrorOptions = {}) {
    super(ErrorCode.FAILURE, message, options);
  }
}

/** A broker answered a whole request (or a partition we cannot report per partition) with an error code. */
export class KafkaProtocolError extends ClinkError {
  readonly errorCode: number;
  readonly errorName: string;

  constructor(errorCode: number, message: string, options: ClinkErrorOptions = {}) {
    super(codeFor(errorCode), message, {
      retriable: isStaleMetadataError(errorCode),
      ...options,
      context: { errorCode, errorName: kafkaErrorName(errorCode), ...options.context },
    });
    this.errorCode = errorCode;
    this.errorName = kafkaErrorName(errorCode);
  }
}

function codeFor(errorCode: number): ErrorCode {
  const name = kafkaErrorName(errorCode);
  if (errorCode === KafkaErrorCode.UNKNOWN_TOPIC_OR_PARTITION) return ErrorCode.NOT_FOUND;
  if (name.endsWith('AUTHORIZATION_FAILED')) return ErrorCode.AUTHORIZATION_FAILED;
  if (name.startsWith('SASL_') || name === 'ILLEGAL_SASL_STATE') return ErrorCode.AUTHENTICATION_FAILED;
  if (errorCode === KafkaErrorCode.REQUEST_TIMED_OUT) return ErrorCode.TIMEOUT;
  return ErrorCode.FAILURE;
}

/** Converts whatever a kafkajs call threw into a ClinkError; ClinkErrors pass through untouched. */
export function wrapKafkaJsError(error: unknown, what: string, context: Record<string, unknown> = {}): ClinkError {
  if (error instanceof ClinkError) return error;
  if (!isKafkaJsError(error)) {
    return new ClinkError(ErrorCode.FAILURE, `${what} failed: ${String(error)}`, { cause: error, context });
  }
  const options = { cause: error, context };
  const detail = error.message.replace(/\.$/, '');
  switch (error.name) {
    case 'KafkaJSConnectionError':
    case 'KafkaJSConnectionClosedError':
    case 'KafkaJSNoBrokerAvailableError':
    case 'KafkaJSBrokerNotFound':
      return new ClusterUnreachableError(`${what}: ${detail}`, options);
    case 'KafkaJSRequestTimeoutError':
    case 'KafkaJSTimeout':
    case 'KafkaJSLockTimeout':
      return new TimeoutError(`${what} timed out: ${detail}`, options);
    case 'KafkaJSSASLAuthenticationError':
      return new AuthenticationError(`${what}: ${detail}`, options);
  }
  if (typeof error.code === 'number' && error.type !== undefined) {
    return new KafkaProtocolError(error.code, `${what}: ${kafkaErrorName(error.code).toLowerCase()}`, options);
  }
  return new ClinkError(ErrorCode.FAILURE, `${what}: ${detail}`, { ...options, retriable: error.retriable === true });
}
