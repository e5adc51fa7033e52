/**
 * ACL sync of one link (acl.sync.enable / acl.sync.ms / acl.filters): every interval, the
 * destination's ACLs are reconciled with the source ACLs that acl.filters selects, for every resource
 * type the admin API can create (topic, group, cluster, transactional id, delegation token), both
 * pattern types (LITERAL, PREFIXED) and both permissions (ALLOW, DENY).
 * Invariants: an ACL is deleted from the destination only if clink created it there (recorded in
 * acl-owned.json before it is created, so a crash never leaves an ACL clink made but forgot) and it
 * is no longer selected on the source; an ACL clink did not create is never deleted, even when it
 * equals a synced one; nothing is ever written on the source; ACLs kafkajs cannot express (USER
 * resources, token operations) are skipped and counted in the log, never half-copied; an ACL that
 * would let another principal write to an ACTIVE or PAUSED mirror is held back until the mirror is
 * STOPPED (src/core/read-only-mirrors.ts), and one clink created earlier is removed while it is held back.
 */
import { matchesAcl, type AclFilter } from '../core/filters.js';
import { ownPrincipal } from '../config/principal.js';
import { heldBackFor, liveMirrorTopics } from '../core/read-only-mirrors.js';
import { describeAcls, toKafkaJsAcl } from '../kafka/acl-describe.js';
import { AclOwnedStore, aclKey, type AclBinding } from './acl-owned-store.js';
import type { LinkEngine } from './engine-api.js';
import { onCluster } from './sync-clients.js';
import { PeriodicSync, type PassContext, type PassResult, type SyncTaskDeps } from './sync-loop.js';

export interface AclSyncSettings {
  filters: AclFilter[];
}

class AclSyncPass {
  private lastUnsupported = -1;
  private lastHeld = '';

  constructor(private readonly deps: SyncTaskDeps) {}

  async run({ snapshot, settings, clients, signal, guard }: PassContext<AclSyncSettings>): Promise<PassResult> {
    const { source, destination } = clients.endpoints;
    const store = new AclOwnedStore(this.deps.stateDir, snapshot.link.name);
    const destId = clients.destinationClusterId;
    const owned = new Map(store.load(destId).map((b) => [aclKey(b), b]));

    const fromSource = await onCluster(source, () => describeAcls(clients.sourceAdmin));
    const selected = fromSource.bindings.filter((b) => matchesAcl(settings.filters, b));
    const live = liveMirrorTopics(snapshot.mirrors);
    const own = ownPrincipal(snapshot.destination.clientConfig);
    const held = selected.filter((b) => heldBackFor(b, live, own) !== undefined);
    const heldText = held.map((b) => `${b.principal} ${b.operation} ${b.patternType}:${b.resourceName}`).sort().join(', ');
    if (heldText !== this.lastHeld && held.length > 0) {
      this.deps.log.warn(`${held.length} ACLs granting WRITE on active mirror topics are held back until failover or promote`, { acls: heldText });
    }
    this.lastHeld = heldText;
    const desired = new Map(selected.filter((b) => !held.includes(b)).map((b) => [aclKey(b), b]));
    const unsupported = fromSource.unsupported.filter((b) => matchesAcl(settings.filters, b)).length;
    if (unsupported !== this.lastUnsupported && unsupported > 0) {
      this.deps.log.warn(`${unsupported} selected source ACLs cannot be synced (USER resources or token operations) and are skipped`);
    }
    this.lastUnsupported = unsupported;
    const present = new Set((await onCluster(destination, () => describeAcls(clients.destAdmin))).bindings.map(aclKey));
    if (signal.aborted) return {};

    const toCreate = [...desired].filter(([k]) => !present.has(k)).map(([, b]) => b);
    const toDelete = [...owned].filter(([k]) => present.has(k) && !desired.has(k)).map(([, b]) => b);
    // Owned entries gone from the destination (deleted by hand, or a create that never happened) and no longer wanted.
    let dirty = false;
    for (const k of [...owned.keys()]) {
      if (!present.has(k) && !desired.has(k)) dirty = owned.delete(k) || dirty;
    }

    let created = 0;
    let deleted = 0;
    if (toCreate.length > 0) {
      // Recorded before creating: a crash in between leaves an owned entry, never an unowned ACL of ours.
      for (const b of toCreate) owned.set(aclKey(b), b);
      store.save(destId, [...owned.values()]);
      dirty = false;
      const done = await guard(async (latest) => {
        const still = toCreate.filter((b) => matchesAcl(latest.filters, b));
        if (still.length > 0) await onCluster(destination, () => clients.destAdmin.createAcls({ acl: still.map(toKafkaJsAcl) }));
        return still;
      });
      const made = new Set((done ?? []).map(aclKey));
      for (const b of toCreate) if (!made.has(aclKey(b))) dirty = owned.delete(aclKey(b)) || dirty;
      created = made.size;
    }
    if (toDelete.length > 0) {
      const done = await guard(async () => {
        await onCluster(destination, () => clients.destAdmin.deleteAcls({ filters: toDelete.map(toKafkaJsAcl) }));
        return true;
      });
      if (done) {
        for (const b of toDelete) owned.delete(aclKey(b));
        deleted = toDelete.length;
        dirty = true;
      }
    }
    if (dirty) store.save(destId, [...owned.values()]);

    const synced = [...desired.keys()].filter((k) => present.has(k) || owned.has(k)).length;
    const fields = { selected: desired.size, created, deleted, owned: owned.size };
    if (created > 0 || deleted > 0) this.deps.log.info('synced ACLs', fields);
    else this.deps.log.debug('ACLs already in sync', fields);
    return { acls: synced };
  }
}

/** The ACL sync task of one link (see the invariants above). */
export function createAclSyncTask(deps: SyncTaskDeps): LinkEngine {
  const pass = new AclSyncPass(deps);
  return new PeriodicSync<AclSyncSettings>(
    {
      name: 'acl_sync',
      raw: false,
      plan: (_snapshot, configs) =>
        configs['acl.sync.enable'] ? { intervalMs: configs['acl.sync.ms'], settings: { filters: configs['acl.filters'] } } : undefined,
      pass: (context) => pass.run(context),
    },
    deps,
  );
}
