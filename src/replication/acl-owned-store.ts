/**
 * Which ACLs on a destination cluster clink's ACL sync created, so it can later delete them (and
 * only them): `<stateDir>/links/<link>/acl-owned.json`, kept per destination cluster id (a link
 * re-pointed at another cluster owns nothing there). The worker may not write the config store, so
 * this file is the sync's memory across restarts.
 * Invariants: a write is a temporary file (mode 0600) renamed over the old one, so a reader sees the
 * previous or the new content in full; an unreadable or malformed file is an error, never read as
 * "owns nothing" (that would orphan ACLs) nor guessed at; bindings are stored in Kafka's upper-case
 * enum names, one entry per distinct binding.
 */
import fs from 'node:fs';
import path from 'node:path';
import { ClinkError, ErrorCode } from '../core/errors.js';
import type { AclBindingLike } from '../core/filters.js';
import { assertValidName } from '../core/model/cluster.js';

export type AclBinding = AclBindingLike;

interface OwnedFile {
  version: 1;
  link: string;
  /** Destination cluster id → the bindings clink created there. */
  destinations: Record<string, AclBinding[]>;
}

const FIELDS = ['resourceType', 'resourceName', 'patternType', 'principal', 'host', 'operation', 'permissionType'] as const;

/** One string per distinct binding (equal bindings, equal keys). */
export function aclKey(b: AclBinding): string {
  return JSON.stringify(FIELDS.map((f) => b[f]));
}

function isBinding(value: unknown): value is AclBinding {
  return typeof value === 'object' && value !== null && FIELDS.every((f) => typeof (value as Record<string, unknown>)[f] === 'string');
}

export class AclOwnedStore {
  readonly file: string;

  constructor(stateDir: string, private readonly link: string) {
    assertValidName('cluster link', link);
    this.file = path.join(path.resolve(stateDir), 'links', link, 'acl-owned.json');
  }

  /** The bindings clink created on the destination with this cluster id. */
  load(destinationClusterId: string): AclBinding[] {
    return this.read()?.destinations[destinationClusterId] ?? [];
  }

  save(destinationClusterId: string, bindings: readonly AclBinding[]): void {
    const data: OwnedFile = this.read() ?? { version: 1, link: this.link, destinations: {} };
    const unique = new Map(bindings.map((b) => [aclKey(b), Object.fromEntries(FIELDS.map((f) => [f, b[f]])) as unknown as AclBinding]));
    data.destinations[destinationClusterId] = [...unique.keys()].sort().map((k) => unique.get(k) as AclBinding);
    const dir = path.dirname(this.file);
    fs.mkdirSync(dir, { recursive: true, mode: 0o700 });
    const tmp = `${this.file}.${process.pid}.tmp`;
    const fd = fs.openSync(tmp, 'w', 0o600);
    try {
      fs.fchmodSync(fd, 0o600);
      fs.writeFileSync(fd, JSON.stringify(data, null, 2) + '\n');
      fs.fsyncSync(fd);
    } finally {
      fs.closeSync(fd);
    }
    fs.renameSync(tmp, this.file);
  }

  private read(): OwnedFile | undefined {
    let text: string;
    try {
      text = fs.readFileSync(this.file, 'utf8');
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
      throw new ClinkError(ErrorCode.FAILURE, `cannot read ${this.file}: ${(error as Error).message}`);
    }
    const bad = (why: string): never => {
      throw new ClinkError(ErrorCode.FAILURE, `${this.file} is ${why}; the ACL sync will not create or delete ACLs until it is fixed`, {
        suggestion: 'Restore the file from a backup, or delete it to make clink forget which ACLs it created (it will then never delete those).',
      });
    };
    let value: unknown;
    try {
      value = JSON.parse(text);
    } catch {
      return bad('not valid JSON');
    }
    const data = value as Partial<OwnedFile> | null;
    if (!data || data.version !== 1 || typeof data.destinations !== 'object' || data.destinations === null) return bad('not an owned-ACL file');
    for (const list of Object.values(data.destinations)) if (!Array.isArray(list) || !list.every(isBinding)) return bad('malformed');
    return data as OwnedFile;
  }
}
