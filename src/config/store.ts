/**
 * The config store: clusters, links (and later mirrors) in one JSON file managed by conf, in a 0700
 * directory, file mode 0600. The CLI is its only writer. Every change is a read-modify-write under an
 * exclusive lock file, so concurrent clink invocations never lose an update; a failed mutation writes
 * nothing. The schema is versioned; a newer file than this clink understands is refused, not rewritten.
 * A file that cannot be read or parsed is refused with an error naming it, and never rewritten.
 */
import fs from 'node:fs';
import path from 'node:path';
import Conf from 'conf';
import lockfile from 'proper-lockfile';
import { ClinkError, ErrorCode } from '../core/errors.js';
import type { ConfigStorePort, StoreData } from '../core/ports.js';

export const SCHEMA_VERSION = 1;
const FILE_NAME = 'config';

function emptyStore(): StoreData {
  return { schemaVersion: SCHEMA_VERSION, clusters: {}, links: {}, mirrors: {} };
}

export class ConfStore implements ConfigStorePort {
  private readonly conf: Conf<Record<string, unknown>>;
  readonly filePath: string;

  constructor(readonly dir: string) {
    ensurePrivateDir(dir);
    try {
      // conf reads (and parses) the file here already.
      this.conf = new Conf<Record<string, unknown>>({
        cwd: dir,
        configName: FILE_NAME,
        projectName: 'clink',
        configFileMode: 0o600,
        clearInvalidConfig: false,
        watch: false,
      });
    } catch (error) {
      throw unreadable(path.join(dir, `${FILE_NAME}.json`), error);
    }
    this.filePath = this.conf.path;
  }

  async read(): Promise<StoreData> {
    return this.load();
  }

  async update<T>(mutate: (data: StoreData) => T | Promise<T>): Promise<T> {
    const release = await this.lock();
    try {
      const data = this.load();
      const result = await mutate(data);
      this.conf.store = data as unknown as Record<string, unknown>;
      fs.chmodSync(this.filePath, 0o600);
      return result;
    } finally {
      await release();
    }
  }

  private load(): StoreData {
    let raw: Record<string, unknown>;
    try {
      raw = this.conf.store;
    } catch (error) {
      throw unreadable(this.filePath, error);
    }
    if (Object.keys(raw).length === 0) return emptyStore();
    const version = raw.schemaVersion;
    if (typeof version === 'number' && version > SCHEMA_VERSION) {
      throw new ClinkError(ErrorCode.FAILURE, `the config store "${this.filePath}" has schema version ${version}, newer than this clink understands (${SCHEMA_VERSION})`, {
        suggestion: 'Upgrade clink, or point `CLINK_CONFIG_DIR` at another directory.',
      });
    }
    const data = { ...emptyStore(), ...raw } as StoreData;
    data.schemaVersion = SCHEMA_VERSION;
    return data;
  }

  private async lock(): Promise<() => Promise<void>> {
    try {
      return await lockfile.lock(this.dir, {
        lockfilePath: path.join(this.dir, `${FILE_NAME}.lock`),
        stale: 10_000,
        update: 2_000,
        retries: { retries: 200, factor: 1.2, minTimeout: 10, maxTimeout: 200, randomize: true },
        realpath: false,
      });
    } catch (error) {
      throw new ClinkError(ErrorCode.CONFLICT, `the config store "${this.dir}" is locked by another clink command`, {
        suggestion: 'Wait for the other command to finish and try again.',
        cause: error,
      });
    }
  }
}

function unreadable(file: string, error: unknown): ClinkError {
  const reason = error instanceof Error ? error.message.replace(/^EISDIR: illegal operation on a directory.*/, 'it is a directory') : String(error);
  return new ClinkError(ErrorCode.FAILURE, `cannot read the config store "${file}": ${reason}`, {
    suggestion: 'Fix the file or restore it from a backup (clink never rewrites a file it cannot read); it must be the JSON that clink writes. Or point `CLINK_CONFIG_DIR` at another directory.',
    cause: error,
  });
}

function ensurePrivateDir(dir: string): void {
  fs.mkdirSync(dir, { recursive: true, mode: 0o700 });
  const mode = fs.statSync(dir).mode & 0o777;
  if (mode !== 0o700) fs.chmodSync(dir, 0o700);
}
