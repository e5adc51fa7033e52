/**
 * Errors of the local-Kafka tooling. Both are ClinkErrors, so the CLI and the test harness print them
 * the usual way. Invariant: a MissingToolError message names the exact package to install; a
 * KafkaStartError message carries the log tails needed to diagnose the failure without a rerun.
 */
import { ClinkError, ErrorCode, type ClinkErrorOptions } from '../core/errors.js';

/** java or mvn is absent or too old. */
export class MissingToolError extends ClinkError {
  constructor(message: string, options: ClinkErrorOptions = {}) {
    super(ErrorCode.FAILURE, message, options);
  }
}

/** A Kafka JVM exited during startup, never became ready, or the jars could not be resolved. */
export class KafkaStartError extends ClinkError {
  constructor(message: string, options: ClinkErrorOptions = {}) {
    super(ErrorCode.FAILURE, message, options);
  }
}
