/**
 * The one table from error to process exit status. Scripts depend on these numbers: changing one is a
 * breaking change, and docs/exit-codes.md must say the same thing (a test compares them).
 */
import { ErrorCode } from '../../core/errors.js';

export const ExitCode = {
  OK: 0,
  FAILURE: 1,
  USAGE: 2,
  UNREACHABLE: 3,
  NOT_FOUND: 4,
  CONFLICT: 5,
  INTERNAL: 70,
  INTERRUPTED: 130,
} as const;
export type ExitCode = (typeof ExitCode)[keyof typeof ExitCode];

const byErrorCode: Record<ErrorCode, ExitCode> = {
  [ErrorCode.FAILURE]: ExitCode.FAILURE,
  [ErrorCode.AUTHENTICATION_FAILED]: ExitCode.FAILURE,
  [ErrorCode.AUTHORIZATION_FAILED]: ExitCode.FAILURE,
  [ErrorCode.USAGE]: ExitCode.USAGE,
  [ErrorCode.INVALID_ARGUMENT]: ExitCode.USAGE,
  [ErrorCode.INVALID_CONFIG]: ExitCode.USAGE,
  [ErrorCode.CONFIRMATION_REQUIRED]: ExitCode.USAGE,
  [ErrorCode.CLUSTER_UNREACHABLE]: ExitCode.UNREACHABLE,
  [ErrorCode.TIMEOUT]: ExitCode.UNREACHABLE,
  [ErrorCode.NOT_FOUND]: ExitCode.NOT_FOUND,
  [ErrorCode.ALREADY_EXISTS]: ExitCode.CONFLICT,
  [ErrorCode.INVALID_STATE]: ExitCode.CONFLICT,
  [ErrorCode.CONFLICT]: ExitCode.CONFLICT,
  [ErrorCode.INTERNAL]: ExitCode.INTERNAL,
  [ErrorCode.INTERRUPTED]: ExitCode.INTERRUPTED,
};

export function exitCodeFor(code: ErrorCode): ExitCode {
  return byErrorCode[code];
}
