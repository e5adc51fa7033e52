/**
 * ACLs between Kafka's wire codes and clink's bindings (resource type, pattern type, operation and
 * permission by Kafka's names): one DescribeAcls answer decoded, and a binding encoded for kafkajs's
 * createAcls / deleteAcls. Invariant: a binding kafkajs 2.2.4 cannot express (USER resources, token
 * operations, codes unknown here) is reported as unsupported, never half-decoded into a supported one.
 */
import type { Admin } from 'kafkajs';
import type { AclBindingLike } from '../core/filters.js';

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

export interface DescribedAcls {
  bindings: AclBindingLike[];
  /** Bindings kafkajs cannot create (or with codes unknown to clink). */
  unsupported: AclBindingLike[];
}

/** Every ACL of the cluster, or only those on one resource type (`TOPIC`, …), in one DescribeAcls. */
export async function describeAcls(admin: Admin, resourceType?: 'TOPIC'): Promise<DescribedAcls> {
  const filter = { resourceType: resourceType ? codeOf(RESOURCE_TYPES, resourceType) : ANY, resourcePatternType: ANY, operation: ANY, permissionType: ANY };
  const response = await admin.describeAcls(filter as Parameters<Admin['describeAcls']>[0]);
  const out: DescribedAcls = { bindings: [], unsupported: [] };
  for (const resource of response.resources) {
    for (const acl of resource.acls) {
      const codes = [resource.resourceType as number, resource.resourcePatternType as number, acl.operation as number, acl.permissionType as number];
      const [rt = 0, pt = 0, op = 0, perm = 0] = codes;
      const binding: AclBindingLike = {
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
export function toKafkaJsAcl(b: AclBindingLike) {
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
