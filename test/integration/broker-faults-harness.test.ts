/**
 * Proves the broker fault controls of the harness on a cluster of this file's own: a SIGKILLed broker
 * restarts on the same data dir and port with its records intact, and a frozen (SIGSTOPped) broker
 * answers nothing until it is thawed.
 */
import { Kafka, logLevel } from 'kafkajs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { isProcessAlive } from '../../src/local-kafka/processes.js';
import { brokerLogTail, startOwnClusters, type KafkaCluster, type OwnClusters } from '../helpers/own-clusters.js';
import { uniqueName } from '../helpers/kafka.js';

let own: OwnClusters;
let broker: KafkaCluster;

beforeAll(async () => {
  own = await startOwnClusters(['faults']);
  [broker] = own.clusters as [KafkaCluster];
});
afterAll(async () => own?.stopAll());

const client = (): Kafka => new Kafka({
  brokers: [broker.bootstrap], logLevel: logLevel.NOTHING, connectionTimeout: 1000, requestTimeout: 2000, retry: { retries: 2, maxRetryTime: 500 },
});

async function endOffset(topic: string): Promise<string> {
  const admin = client().admin();
  await admin.connect();
  try {
    return (await admin.fetchTopicOffsets(topic))[0]?.high ?? 'none';
  } finally {
    await admin.disconnect();
  }
}

describe('broker fault controls', () => {
  it('kill + restart keeps the data dir, the port and the records', async () => {
    const topic = uniqueName('restart');
    const admin = client().admin();
    await admin.connect();
    await admin.createTopics({ topics: [{ topic, numPartitions: 1 }], waitForLeaders: true });
    await admin.disconnect();
    const producer = client().producer();
    await producer.connect();
    await producer.send({ topic, acks: -1, messages: Array.from({ length: 50 }, (_, i) => ({ value: `v${i}` })) });
    await producer.disconnect();

    const before = broker.pid;
    await broker.kill('SIGKILL');
    expect(isProcessAlive(before), 'the killed JVM is gone').toBe(false);
    await broker.restart();
    expect(broker.pid).not.toBe(before);
    expect(await endOffset(topic), await brokerLogTail(broker)).toBe('50');
  });

  it('a frozen broker answers nothing until thawed', async () => {
    const topic = uniqueName('frozen');
    const admin = client().admin();
    await admin.connect();
    await admin.createTopics({ topics: [{ topic, numPartitions: 1 }], waitForLeaders: true });
    await admin.disconnect();
    broker.freeze();
    try {
      await expect(endOffset(topic)).rejects.toThrow();
    } finally {
      broker.thaw();
    }
    expect(await endOffset(topic), await brokerLogTail(broker)).toBe('0');
  });
});
