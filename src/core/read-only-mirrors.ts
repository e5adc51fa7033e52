/**
 * Read-only mirrors on plain Kafka. Confluent's mirror topics refuse produce requests; Kafka has
 * no such state, so the honest equivalent is authorization: while a mirror is ACTIVE or PAUSED,
 * the ACL sync holds back every synced ACL that would let a principal other than clink's own write
 * to it (ALLOW WRITE or ALL on a TOPIC pattern matching the mirror topic), and creates it once the
 * mirror is STOPPED (failover, promote), so DR producers are authorized at failover, never before.
 * The same rule tells `mirror describe` / `link describe` which ACLs already on the destination let
 * someone write to a live mirror (src/core/usecases/mirror-writers.ts).
 * Invariant: pure — a decision from the binding, the link's mirrors and clink's principal only.
 */
import type { MirrorRecord } from './model/mirror.js';
import type { AclBindingLike as AclBinding } from './filters.js';

/** Whether the binding's resource pattern covers `topic` (LITERAL `*` covers every topic). */
export function patternCovers(binding: Pick<AclBinding, 'resourceName' | 'patternType'>, topic: string): boolean {
  if (binding.patternType === 'LITERAL') return binding.resourceName === '*' || binding.resourceName === topic;
  if (binding.patternType === 'PREFIXED') return topic.startsWith(binding.resourceName);
  return false;
}

/** Mirror topics writes must not reach: ACTIVE or PAUSED, in the link's own direction. */
export function liveMirrorTopics(mirrors: readonly MirrorRecord[]): string[] {
  return mirrors.filter((m) => m.desiredState !== 'STOPPED' && m.reversed !== true).map((m) => m.mirrorTopic);
}

/** The live mirror topic the binding would let someone other than `ownPrincipal` write to, if any. */
export function heldBackFor(binding: AclBinding, liveTopics: readonly string[], ownPrincipal: string | undefined): string | undefined {
  if (binding.resourceType !== 'TOPIC' || binding.permissionType !== 'ALLOW') return undefined;
  if (binding.operation !== 'WRITE' && binding.operation !== 'ALL') return undefined;
  if (ownPrincipal !== undefined && binding.principal === ownPrincipal) return undefined;
  return liveTopics.find((topic) => patternCovers(binding, topic));
}
