/**
 * Proves the test harness: both clusters serve produce/consume on their PLAINTEXT listener, and their
 * SASL listener authenticates and authorizes (StandardAuthorizer is active: ACLs decide what a
 * non-super user may do). Every name is unique, every wait is a waitFor.
 */
import { AclOperationTypes, AclPermissionTypes, AclResourceTypes, ResourcePatternTypes, type Kafka } from 'kafkajs';
import { describe, expect, it } from 'vitest';
import { waitFor } from '../../src/util/wait-for.js';
import { FAST_CONSUMER, getClusters, kafkaFor, uniqueName, withAdmin, type ClusterSide } from '../helpers/kafka.js';

const SIDES: ClusterSide[] = ['source', 'destination'];

async function produce(kafka: Kafka, topic: string, values: string[]): Promise<void> {
  const producer = kafka.producer({ allowAutoTopicCreation: false });
  await producer.connect();
  try {
    await producer.send({ topic, messages: values.map((value, i) => ({ key: `k${i}`, value })) });
  } finally {
    await producer.disconnect();
  }
}

async function consume(kafka: Kafka, topic: string, groupId: string, count: number): Promise<string[]> {
  const consumer = kafka.consumer({ groupId, ...FAST_CONSUMER });
  const received: string[] = [];
  await consumer.connect();
  try {
    await consumer.subscribe({ topics: [topic], fromBeginning: true });
    await consumer.run({ eachMessage: async ({ message }) => void received.push(message.value?.toString() ?? '') });
    return await waitFor(() => received.length >= count && received, {
      timeoutMs: 30_000,
      message: `consumer of ${topic} received ${received.length} of ${count} records`,
    });
  } finally {
    await consumer.disconnect();
  }
}

/** The kafkajs error type (e.g. TOPIC_AUTHORIZATION_FAILED) of an error or of its causes. */
function kafkaErrorType(error: unknown): string | undefined {
  for (let e = error as { type?: string; cause?: unknown; originalError?: unknown } | undefined; e; ) {
    if (typeof e.type === 'string') return e.type;
    e = (e.cause ?? e.originalError) as typeof e;
  }
  return undefined;
}

describe.each(SIDES)('the %s test cluster', (side) => {
  it('has an id and distinct PLAINTEXT and SASL listeners', () => {
    const cluster = getClusters()[side];
    expect(cluster.clusterId).toMatch(/^[A-Za-z0-9_-]{22}$/);
    expect(cluster.saslBootstrap).toBeDefined();
    expect(cluster.saslBootstrap).not.toBe(cluster.bootstrap);
    expect(cluster.users?.alice.superUser).toBe(false);
  });

  it('produces and consumes records on the PLAINTEXT listener', async () => {
    const topic = uniqueName('harness-plain');
    await withAdmin(side, (admin) => admin.createTopics({ topics: [{ topic, numPartitions: 1 }], waitForLeaders: true }));
    await produce(kafkaFor(side), topic, ['a', 'b', 'c']);
    expect(await consume(kafkaFor(side), topic, uniqueName('harness-group'), 3)).toEqual(['a', 'b', 'c']);
  });

  it('rejects a wrong password on the SASL listener', async () => {
    const admin = kafkaFor(side, { sasl: { username: 'alice', password: 'not-her-password' } }).admin();
    const error = await admin.connect().catch((e: unknown) => e);
    expect(error).toBeInstanceOf(Error);
    expect((error as Error).name).toBe('KafkaJSSASLAuthenticationError');
    expect((error as Error).message).toMatch(/Authentication failed/);
    await admin.disconnect();
  });

  it('lets admin create ACLs and describe them back', async () => {
    const admin = getClusters()[side].users!.admin;
    const topic = uniqueName('harness-acl');
    const acl = {
      resourceType: AclResourceTypes.TOPIC, resourceName: topic, resourcePatternType: ResourcePatternTypes.LITERAL,
      principal: 'User:bob', host: '*', operation: AclOperationTypes.READ, permissionType: AclPermissionTypes.ALLOW,
    };
    await withAdmin(side, async (client) => {
      await client.createAcls({ acl: [acl] });
      const described = await waitFor(
        async () => {
          const { resources } = await client.describeAcls({ ...acl, principal: undefined, host: undefined, operation: AclOperationTypes.ANY, permissionType: AclPermissionTypes.ANY });
          return resources.length > 0 && resources;
        },
        { timeoutMs: 15_000, message: `the ACL on ${topic} was never described` },
      );
      expect(described).toEqual([
        expect.objectContaining({
          resourceName: topic,
          acls: [{ principal: 'User:bob', host: '*', operation: AclOperationTypes.READ, permissionType: AclPermissionTypes.ALLOW }],
        }),
      ]);
    }, { sasl: admin });
  });

  it('denies alice a topic without ACLs and allows her once ACLs grant it', async () => {
    const { admin, alice } = getClusters()[side].users!;
    const topic = uniqueName('harness-alice');
    const group = uniqueName('harness-alice-group');
    const asAlice = kafkaFor(side, { sasl: alice });
    await withAdmin(side, (client) => client.createTopics({ topics: [{ topic }], waitForLeaders: true }), { sasl: admin });

    const denied = await produce(asAlice, topic, ['denied']).catch((e: unknown) => e);
    expect(kafkaErrorType(denied)).toBe('TOPIC_AUTHORIZATION_FAILED');

    const grant = (resourceType: AclResourceTypes, resourceName: string, operation: AclOperationTypes) => ({
      resourceType, resourceName, resourcePatternType: ResourcePatternTypes.LITERAL,
      principal: `User:${alice.username}`, host: '*', operation, permissionType: AclPermissionTypes.ALLOW,
    });
    await withAdmin(side, (client) => client.createAcls({
      acl: [grant(AclResourceTypes.TOPIC, topic, AclOperationTypes.WRITE), grant(AclResourceTypes.TOPIC, topic, AclOperationTypes.READ), grant(AclResourceTypes.GROUP, group, AclOperationTypes.READ)],
    }), { sasl: admin });

    await waitFor(
      () => produce(asAlice, topic, ['allowed']).then(() => true, (e: unknown) => {
        if (kafkaErrorType(e) === 'TOPIC_AUTHORIZATION_FAILED') return false;
        throw e;
      }),
      { timeoutMs: 15_000, intervalMs: 200, message: `alice was still denied writing to ${topic} after the ACLs were created` },
    );
    expect(await consume(asAlice, topic, group, 1)).toEqual(['allowed']);
  });
});
