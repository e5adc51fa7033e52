/**
 * Read-only mirrors, as `mirror describe` and `link describe` check them: which principals other than
 * the link's own the destination's ACLs let write to an ACTIVE or PAUSED mirror topic — the ACLs the
 * ACL sync would hold back (src/core/read-only-mirrors.ts), minus principals a DENY WRITE/ALL from any
 * host covers. Invariants: a check that cannot be made (no authorizer, no DESCRIBE on the ACLs,
 * cluster down) gives no warning and never fails the command; STOPPED (failed over, promoted) and
 * reversed mirrors are writable by design and never warned about; one DescribeAcls per check.
 */
import type { AclBindingLike } from '../filters.js';
import type { LinkRecord } from '../model/link.js';
import type { MirrorRecord } from '../model/mirror.js';
import type { AclReaderPort, StoreData } from '../ports.js';
import { mirrorEnds } from '../link-direction.js';
import { heldBackFor, liveMirrorTopics, patternCovers } from '../read-only-mirrors.js';

/** An ALLOW WRITE or ALL ACL on a TOPIC pattern covering a live mirror topic. */
export type MirrorWriter = AclBindingLike;

const deniesWrite = (b: AclBindingLike, topic: string) =>
  b.permissionType === 'DENY' && (b.operation === 'WRITE' || b.operation === 'ALL') && b.host === '*' && patternCovers(b, topic);

/** Writers per live mirror topic of the link (topics without any are left out). */
export async function liveMirrorWriters(data: StoreData, link: LinkRecord, mirrors: readonly MirrorRecord[], acls: AclReaderPort | undefined): Promise<Map<string, MirrorWriter[]>> {
  const live = liveMirrorTopics(mirrors);
  if (acls === undefined || live.length === 0 || data.clusters[link.destination] === undefined) return new Map();
  const destination = mirrorEnds(data, link, { reversed: false }).destination;
  const own = acls.principalOf(destination);
  const bindings = (await acls.topicAcls(destination)) ?? [];
  const out = new Map<string, MirrorWriter[]>();
  for (const topic of live) {
    const denied = new Set(bindings.filter((b) => deniesWrite(b, topic)).map((b) => b.principal));
    const writers = bindings
      .filter((b) => heldBackFor(b, [topic], own) === topic && !denied.has(b.principal))
      .sort((a, b) => (a.principal + a.resourceName < b.principal + b.resourceName ? -1 : 1));
    if (writers.length > 0) out.set(topic, writers);
  }
  return out;
}

/** `User:alice (ALLOW WRITE on TOPIC orders, LITERAL)` */
export function writerText(w: MirrorWriter): string {
  const host = w.host === '*' ? '' : ` from host ${w.host}`;
  return `${w.principal} (ALLOW ${w.operation} on TOPIC ${w.resourceName}, ${w.patternType}${host})`;
}

/** The warning for one mirror topic, in the words of Confluent's read-only mirror topics. */
export function writersWarning(topic: string, link: string, writers: readonly MirrorWriter[]): string {
  return (
    `Warning: mirror topic "${topic}" of cluster link "${link}" is read-only until failover or promote, but the destination's ACLs let ` +
    `${writers.map(writerText).join(', ')} write to it; a write there makes the mirror diverge from its source and stops its partition. ` +
    `Remove ${writers.length > 1 ? 'these ACLs' : 'this ACL'} until the mirror is failed over or promoted (with acl.sync.enable=true clink creates synced WRITE ACLs at failover).`
  );
}
