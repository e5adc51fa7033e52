/**
 * Who may write to a topic, from the cluster's ACLs (DescribeAcls with Kafka's MATCH pattern filter:
 * the topic's literal ACLs, the `*` wildcard and every prefixed pattern covering it), over one
 * short-lived admin connection. Read-only. Invariant: never throws for a cluster without an
 * authorizer, one that refuses clink DESCRIBE on its ACLs or one that does not answer within 5 s: it
 * answers undefined (unknown), so a describe command never fails or hangs because of this check.
 */
import type kafkajs from 'kafkajs';
import type { AclReaderPort, ClusterEndpoint, TopicWriteAcl } from '../core/ports.js';
import { ownPrincipal } from '../config/principal.js';
import { createKafka } from './client.js';

/** Kafka's enum codes (ResourceType, PatternType, AclOperation, AclPermissionType). */
const TOPIC = 2;
const MATCH = 2;
const ANY = 1;
const PATTERNS: Record<number, TopicWriteAcl['patternType']> = { 3: 'LITERAL', 4: 'PREFIXED' };
const WRITE_OPS: Record<number, TopicWriteAcl['operation']> = { 2: 'ALL', 4: 'WRITE' };
const DENY = 2;
const ALLOW = 3;

export class KafkaAclReader implements AclReaderPort {
  constructor(private readonly env: NodeJS.ProcessEnv) {}

  principalOf(endpoint: ClusterEndpoint): string | undefined {
    return ownPrincipal(endpoint.clientConfig);
  }

  /** Gives up (unknown) after this long, so a describe never waits on a destination that does not answer. */
  static readonly DEADLINE_MS = 5_000;

  async topicWriters(endpoint: ClusterEndpoint, topics: readonly string[]): Promise<Map<string, TopicWriteAcl[]> | undefined> {
    if (topics.length === 0) return new Map();
    let timer: NodeJS.Timeout | undefined;
    const deadline = new Promise<undefined>((resolve) => {
      timer = setTimeout(() => resolve(undefined), KafkaAclReader.DEADLINE_MS);
      timer.unref();
    });
    try {
      return await Promise.race([this.read(endpoint, topics), deadline]);
    } finally {
      clearTimeout(timer);
    }
  }

  private async read(endpoint: ClusterEndpoint, topics: readonly string[]): Promise<Map<string, TopicWriteAcl[]> | undefined> {
    let admin: kafkajs.Admin | undefined;
    try {
      const kafka = await createKafka(endpoint, this.env, { retries: 1 });
      admin = kafka.admin({ retry: { retries: 1, initialRetryTime: 100, maxRetryTime: 500 } });
      await admin.connect();
      const result = new Map<string, TopicWriteAcl[]>();
      for (const topic of topics) {
        const filter = { resourceType: TOPIC, resourceName: topic, resourcePatternType: MATCH, operation: ANY, permissionType: ANY };
        const { resources } = await admin.describeAcls(filter as unknown as Parameters<kafkajs.Admin['describeAcls']>[0]);
        const allowed: TopicWriteAcl[] = [];
        const denied = new Set<string>();
        for (const resource of resources) {
          const patternType = PATTERNS[resource.resourcePatternType as number];
          if (patternType === undefined) continue;
          for (const acl of resource.acls) {
            const operation = WRITE_OPS[acl.operation as number];
            if (operation === undefined) continue;
            if ((acl.permissionType as number) === DENY && acl.host === '*') denied.add(acl.principal);
            if ((acl.permissionType as number) === ALLOW) allowed.push({ principal: acl.principal, operation, patternType, resourceName: resource.resourceName, host: acl.host });
          }
        }
        result.set(topic, allowed.filter((a) => !denied.has(a.principal)));
      }
      return result;
    } catch {
      // SECURITY_DISABLED (no authorizer), CLUSTER_AUTHORIZATION_FAILED, unreachable: unknown.
      return undefined;
    } finally {
      await admin?.disconnect().catch(() => {});
    }
  }
}
