/**
 * The worker's log, `worker.log`: one line per event, `<ISO time> <LEVEL> <message> <json fields>`.
 * Invariants: every event is exactly one line (newlines in messages are escaped); the file never
 * grows past maxBytes by more than one line (it is renamed to `worker.log.1`, replacing the previous
 * one, and a new file is started); values of sensitive keys (passwords, secrets, JAAS configs) are
 * masked at any depth; a failure to write the log never stops the worker.
 */
import fs from 'node:fs';
import type { EngineLogger } from '../replication/engine-api.js';
import { isSensitiveKey, REDACTED } from '../core/config-keys.js';

export type LogLevel = 'debug' | 'info' | 'warn' | 'error';
const RANK: Record<LogLevel, number> = { debug: 0, info: 1, warn: 2, error: 3 };
export const DEFAULT_MAX_LOG_BYTES = 10 * 1024 * 1024;

export interface LogFileOptions {
  maxBytes?: number;
  /** Lowest level written; default info. */
  level?: LogLevel;
  /** Also hand every line to this function (the foreground worker echoes to stderr). */
  echo?: (line: string) => void;
  now?: () => Date;
}

function safeFields(value: unknown, depth = 0): unknown {
  if (value instanceof Error) return value.message;
  if (typeof value === 'bigint') return value.toString();
  if (value === null || typeof value !== 'object') return value;
  if (depth > 8) return '[too deep]';
  if (Array.isArray(value)) return value.map((v) => safeFields(v, depth + 1));
  const out: Record<string, unknown> = {};
  for (const [key, v] of Object.entries(value)) {
    out[key] = isSensitiveKey(key) && v !== '' && v !== undefined ? REDACTED : safeFields(v, depth + 1);
  }
  return out;
}

export function formatLogLine(time: Date, level: LogLevel, message: string, fields?: Record<string, unknown>): string {
  const text = message.replace(/\r?\n/g, '\\n');
  const extra = fields && Object.keys(fields).length > 0 ? ` ${JSON.stringify(safeFields(fields))}` : '';
  return `${time.toISOString()} ${level.toUpperCase()} ${text}${extra}\n`;
}

export class LogFile implements EngineLogger {
  private size: number;
  private readonly maxBytes: number;
  private readonly minRank: number;

  constructor(
    readonly file: string,
    private readonly options: LogFileOptions = {},
  ) {
    this.maxBytes = options.maxBytes ?? DEFAULT_MAX_LOG_BYTES;
    this.minRank = RANK[options.level ?? 'info'];
    this.size = fs.statSync(file, { throwIfNoEntry: false })?.size ?? 0;
  }

  debug(message: string, fields?: Record<string, unknown>): void {
    this.write('debug', message, fields);
  }
  info(message: string, fields?: Record<string, unknown>): void {
    this.write('info', message, fields);
  }
  warn(message: string, fields?: Record<string, unknown>): void {
    this.write('warn', message, fields);
  }
  error(message: string, fields?: Record<string, unknown>): void {
    this.write('error', message, fields);
  }

  write(level: LogLevel, message: string, fields?: Record<string, unknown>): void {
    if (RANK[level] < this.minRank) return;
    const line = formatLogLine((this.options.now ?? (() => new Date()))(), level, message, fields);
    const bytes = Buffer.byteLength(line);
    try {
      if (this.size > 0 && this.size + bytes > this.maxBytes) this.rotate();
      fs.appendFileSync(this.file, line, { mode: 0o600 });
      this.size += bytes;
    } catch {
      // A full disk or a removed directory must not stop replication; the status file still reports.
    }
    this.options.echo?.(line);
  }

  private rotate(): void {
    this.size = 0;
    fs.renameSync(this.file, `${this.file}.1`);
  }
}
