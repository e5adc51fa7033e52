/**
 * The destination's TOPIC ACLs for the read-only mirror check of `mirror describe` / `link describe`:
 * one DescribeAcls over one short-lived admin connection, decoded as the ACL sync decodes them
 * (acl-describe.ts). Read-only. Invariant: never throws for a cluster without an authorizer, one that
 * refuses clink DESCRIBE on its ACLs or one that does not answer within 5 s: it answers undefined
 * (unknown), so a describe command never fails or hangs because of this check.
 */
import type kafkajs from 'kafkajs';
import type { AclBindingLike } from '../core/filters.js';
import type { AclReaderPort, ClusterEndpoint } from '../core/ports.js';
import { ownPrincipal } from '../config/principal.js';
import { describeAcls } from './acl-describe.js';
import { createKafka } from './client.js';

export class KafkaAclReader implements AclReaderPort {
  constructor(private readonly env: NodeJS.ProcessEnv) {}

  principalOf(endpoint: ClusterEndpoint): string | undefined {
    return ownPrincipal(endpoint.clientConfig);
  }

  /** Gives up (unknown) after this long, so a describe never waits on a destination that does not answer. */
  static readonly DEADLINE_MS = 5_000;

  async topicAcls(endpoint: ClusterEndpoint): Promise<AclBindingLike[] | undefined> {
    let timer: NodeJS.Timeout | undefined;
    const deadline = new Promise<undefined>((resolve) => {
      timer = setTimeout(() => resolve(undefined), KafkaAclReader.DEADLINE_MS);
      timer.unref();
    });
    try {
      return await Promise.race([this.read(endpoint), deadline]);
    } finally {
      clearTimeout(timer);
    }
  }

  private async read(endpoint: ClusterEndpoint): Promise<AclBindingLike[] | undefined> {
    let admin: kafkajs.Admin | undefined;
    try {
      const kafka = await createKafka(endpoint, this.env, { retries: 1 });
      admin = kafka.admin({ retry: { retries: 1, initialRetryTime: 100, maxRetryTime: 500 } });
      await admin.connect();
      return (await describeAcls(admin, 'TOPIC')).bindings;
    } catch {
      // SECURITY_DISABLED (no authorizer), CLUSTER_AUTHORIZATION_FAILED, unreachable: unknown.
      return undefined;
    } finally {
      await admin?.disconnect().catch(() => {});
    }
  }
}
