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
 * STOPPED (acl-hold-back.ts), and one clink created earlier is removed while it is held back.
 */
import type { Admin } from 'kafkajs';
import { matchesAcl, type AclFilter } from '../core/filters.js';
import { ownPrincipal } from '../config/principal.js';
import { heldBackFor, liveMirrorTopics } from './acl-hold-back.js';
import { AclOwnedStore, aclKey, type AclBinding } from './acl-owned-store.js';
import type { LinkEngine } from './engine-api.js';
import { onCluster } from './sync-clients.js';
import { PeriodicSync, type PassContext, type PassResult, type SyncTaskDeps } from './sync-loop.js';

export interface AclSyncSettings {
  filters: AclFilter[];
}

/** Kafka's enum codes and names (ResourceType, PatternType, AclOperation, AclPermissionType). */
const RESOURCE_TYPES: Record<number, string> = { 2: 'TOPIC', 3: 'GROUP', 4: 'CLUSTER', 5: 'TRANSACTIONAL_ID', 6: 'DELEGATION_TOKEN', 7: 'USER' };
const PATTERN_TYPES: Record<number, string> = { 3: 'LITERAL', 4: 'PREFIXED' };
const OPERATIONS: Record<number, string> = {
  2: 'ALL', 3: 'READ', 4: 'WRITE', 5: 'CREATE', 6: 'DELETE', 7: 'ALTER', 8: 'DESCRIBE', 9: 'CLUSTER_ACTION',
  10: 'DESCRIBE_CONFIGS', 11: 'ALTER_CONFIGS', 12: 'IDEMPOTENT_WRITE', 13: 'CREATE_TOKENS', 14: 'DESCRIBE_TOKENS',
};
const PERMISSIONS: Record<number, string> = { 2: 'DENY', 3: 'ALLOW' };
/** What kafkajs 2.2.4 refuses to create or delete (client-side validation). */
const KAFKAJS_MAX = { resourceType: 6, operation: 12 } as const;

const ANY = 1;
const codeOf = (table: Record<number, string>, name: string): number => Number(Object.entries(table).find(([, n]) => n === name)?.[0] ?? 0);

interface Described {
  bindings: AclBinding[];
  /** Bindings kafkajs cannot create (or with codes unknown to clink). */
  unsupported: AclBinding[];
}

async function describeAll(admin: Admin): Promise<Described> {
  const response = await admin.describeAcls({ resourceType: ANY, resourcePatternType: ANY, operation: ANY, permissionType: ANY } as Parameters<Admin['describeAcls']>[0]);
  const out: Described = { bindings: [], unsupported: [] };
  for (const resource of response.resources) {
    for (const acl of resource.acls) {
      const codes = [resource.resourceType as number, resource.resourcePatternType as number, acl.operation as number, acl.permissionType as number];
      const [rt = 0, pt = 0, op = 0, perm = 0] = codes;
      const binding: AclBinding = {
        resourceType: RESOURCE_TYPES[rt] ?? `UNKNOWN_${rt}`,
        resourceName: resource.resourceName,
        patternType: PATTERN_TYPES[pt] ?? `UNKNOWN_${pt}`,
        principal: acl.principal,
        host: acl.host,
        operation: OPERATIONS[op] ?? `UNKNOWN_${op}`,
        permissionType: PERMISSIONS[perm] ?? `UNKNOWN_${perm}`,
      };
      const supported = rt >= 2 && rt <= KAFKAJS_MAX.resourceType && PATTERN_TYPES[pt] && op >= 2 && op <= KAFKAJS_MAX.operation && PERMISSIONS[perm];
      (supported ? out.bindings : out.unsupported).push(binding);
    }
  }
  return out;
}

/** The kafkajs form of a binding: an AclEntry for createAcls, an exact filter for deleteAcls. */
function toKafkaJs(b: AclBinding) {
  return {
    resourceType: codeOf(RESOURCE_TYPES, b.resourceType),
    resourceName: b.resourceName,
    resourcePatternType: codeOf(PATTERN_TYPES, b.patternType),
    principal: b.principal,
    host: b.host,
    operation: codeOf(OPERATIONS, b.operation),
    permissionType: codeOf(PERMISSIONS, b.permissionType),
  } as unknown as Parameters<Admin['createAcls']>[0]['acl'][number];
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

    const fromSource = await onCluster(source, () => describeAll(clients.sourceAdmin));
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
    const present = new Set((await onCluster(destination, () => describeAll(clients.destAdmin))).bindings.map(aclKey));
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
        if (still.length > 0) await onCluster(destination, () => clients.destAdmin.createAcls({ acl: still.map(toKafkaJs) }));
        return still;
      });
      const made = new Set((done ?? []).map(aclKey));
      for (const b of toCreate) if (!made.has(aclKey(b))) dirty = owned.delete(aclKey(b)) || dirty;
      created = made.size;
    }
    if (toDelete.length > 0) {
      const done = await guard(async () => {
        await onCluster(destination, () => clients.destAdmin.deleteAcls({ filters: toDelete.map(toKafkaJs) }));
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
