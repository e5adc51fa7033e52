/**
 * Typed errors. Every failure clink understands is a ClinkError carrying a stable code, a lower-case
 * message without a full stop and, where one helps, a suggestion naming the exact command to run.
 * Invariant: no message, suggestion or context ever contains a secret (password, API secret,
 * sasl.jaas.config); callers pass names and keys, never values of sensitive configs.
 * The mapping from code to process exit status lives in one table: src/cli/errors/exit-codes.ts.
 */

export const ErrorCode = {
  FAILURE: 'FAILURE',
  USAGE: 'USAGE',
  INVALID_ARGUMENT: 'INVALID_ARGUMENT',
  INVALID_CONFIG: 'INVALID_CONFIG',
  CLUSTER_UNREACHABLE: 'CLUSTER_UNREACHABLE',
  TIMEOUT: 'TIMEOUT',
  AUTHENTICATION_FAILED: 'AUTHENTICATION_FAILED',
  AUTHORIZATION_FAILED: 'AUTHORIZATION_FAILED',
  NOT_FOUND: 'NOT_FOUND',
  ALREADY_EXISTS: 'ALREADY_EXISTS',
  INVALID_STATE: 'INVALID_STATE',
  CONFLICT: 'CONFLICT',
  CONFIRMATION_REQUIRED: 'CONFIRMATION_REQUIRED',
  INTERNAL: 'INTERNAL',
  INTERRUPTED: 'INTERRUPTED',
} as const;
export type ErrorCode = (typeof ErrorCode)[keyof typeof ErrorCode];

export interface ClinkErrorOptions {
  suggestion?: string;
  cause?: unknown;
  retriable?: boolean;
  context?: Record<string, unknown>;
}

export class ClinkError extends Error {
  readonly code: ErrorCode;
  readonly suggestion?: string;
  readonly retriable: boolean;
  readonly context?: Record<string, unknown>;

  constructor(code: ErrorCode, message: string, options: ClinkErrorOptions = {}) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause });
    this.name = new.target.name;
    this.code = code;
    this.suggestion = options.suggestion;
    this.retriable = options.retriable ?? false;
    this.context = options.context;
  }
}

/** Bad flag values, names or combinations detected by clink itself (exit 2). */
export class UsageError extends ClinkError {
  constructor(message: string, options: ClinkErrorOptions = {}) {
    super(ErrorCode.USAGE, message, options);
  }
}

/** A config file, inline config or config value that cannot be accepted (exit 1). */
export class InvalidConfigError extends ClinkError {
  constructor(message: string, options: ClinkErrorOptions = {}) {
    super(ErrorCode.INVALID_CONFIG, message, options);
  }
}

export class ClusterUnreachableError extends ClinkError {
  constructor(message: string, options: ClinkErrorOptions = {}) {
    super(ErrorCode.CLUSTER_UNREACHABLE, message, { retriable: true, ...options });
  }
}

export class TimeoutError extends ClinkError {
  constructor(message: string, options: ClinkErrorOptions = {}) {
    super(ErrorCode.TIMEOUT, message, { retriable: true, ...options });
  }
}

export class AuthenticationError extends ClinkError {
  constructor(message: string, options: ClinkErrorOptions = {}) {
    super(ErrorCode.AUTHENTICATION_FAILED, message, options);
  }
}

export class AuthorizationError extends ClinkError {
  constructor(message: string, options: ClinkErrorOptions = {}) {
    super(ErrorCode.AUTHORIZATION_FAILED, message, options);
  }
}

export class NotFoundError extends ClinkError {
  constructor(message: string, options: ClinkErrorOptions = {}) {
    super(ErrorCode.NOT_FOUND, message, options);
  }
}

export class AlreadyExistsError extends ClinkError {
  constructor(message: string, options: ClinkErrorOptions = {}) {
    super(ErrorCode.ALREADY_EXISTS, message, options);
  }
}

export class InvalidStateError extends ClinkError {
  constructor(message: string, options: ClinkErrorOptions = {}) {
    super(ErrorCode.INVALID_STATE, message, options);
  }
}

export class ConflictError extends ClinkError {
  constructor(message: string, options: ClinkErrorOptions = {}) {
    super(ErrorCode.CONFLICT, message, options);
  }
}

export class ConfirmationRequiredError extends ClinkError {
  constructor(message: string, options: ClinkErrorOptions = {}) {
    super(ErrorCode.CONFIRMATION_REQUIRED, message, options);
  }
}

/** An invariant of clink itself was broken: a bug (exit 70). */
export class InternalError extends ClinkError {
  constructor(message: string, options: ClinkErrorOptions = {}) {
    super(ErrorCode.INTERNAL, message, options);
  }
}

export function isClinkError(error: unknown): error is ClinkError {
  return error instanceof ClinkError;
}
