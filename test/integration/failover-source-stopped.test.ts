/**
 * Failover with the source broker frozen (SIGSTOP: it accepts connections but answers nothing) while
 * the link's worker is mirroring from it: the command finishes within 10 s, the mirror is STOPPED,
 * and the destination topic takes writes at the offset after the last mirrored record. The frozen
 * source is a cluster of this test's own, so the shared clusters are never disturbed.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Kafka, logLevel } from 'kafkajs';
import { startKafkaCluster, type KafkaCluster } from '../../src/local-kafka/cluster.js';
import { getClusters, kafkaFor, uniqueName, type ClusterInfo } from '../helpers/kafka.js';
import { clinkHome, type ClinkHome } from '../helpers/run-clink.js';
import { waitFor } from '../../src/util/wait-for.js';

let frozen: KafkaCluster | undefined;
let destination: ClusterInfo;
let home: ClinkHome;

beforeAll(async () => {
  ({ destination } = getClusters());
  frozen = await startKafkaCluster({ name: 'failover-source' });
}, 120_000);

afterAll(async () => {
  if (frozen) {
    try {
      process.kill(frozen.pid, 'SIGCONT');
    } catch {
      // already gone
    }
  }
  await home?.run(['worker', 'stop', 'dr-link']);
  await frozen?.stop();
}, 60_000);

describe('failover with the source broker stopped', () => {
  it('completes within 10 s and leaves a writable topic at the right offset', async () => {
    const source = frozen!;
    const topic = uniqueName('frozen');
    const kafka = new Kafka({ clientId: 'failover-test', brokers: [source.bootstrap], logLevel: logLevel.NOTHING });
    const admin = kafka.admin();
    await admin.connect();
    await admin.createTopics({ waitForLeaders: true, topics: [{ topic, numPartitions: 1, replicationFactor: 1 }] });
    await admin.disconnect();
    const producer = kafka.producer();
    await producer.connect();
    await producer.send({ topic, messages: Array.from({ length: 20 }, (_, i) => ({ value: String(i) })) });
    await producer.disconnect();

    home = clinkHome();
    expect((await home.run(['cluster', 'add', 'dr', '--bootstrap-server', destination.bootstrap])).exitCode).toBe(0);
    expect((await home.run(['link', 'create', 'dr-link', '--source-bootstrap-server', source.bootstrap])).exitCode).toBe(0);
    const created = await home.run(['mirror', 'create', topic, '--link', 'dr-link']);
    expect(created.stderr).toBe('');
    await waitFor(async () => {
      const rows = JSON.parse((await home.run(['mirror', 'describe', topic, '--link', 'dr-link', '-o', 'json'])).stdout) as Array<{ destination_log_end_offset: number }>;
      return rows[0]?.destination_log_end_offset === 20 || undefined;
    }, { timeoutMs: 30_000, message: 'the mirror did not copy the 20 records' });

    process.kill(source.pid, 'SIGSTOP');
    const started = Date.now();
    const failover = await home.run(['mirror', 'failover', topic, '--link', 'dr-link', '-o', 'json'], { timeoutMs: 30_000 });
    const elapsedMs = Date.now() - started;
    expect(failover.stderr).toBe('');
    expect(failover.exitCode).toBe(0);
    expect(elapsedMs).toBeLessThan(10_000);
    const list = JSON.parse((await home.run(['mirror', 'list', '-o', 'json'])).stdout) as Array<{ mirror_status: string }>;
    expect(list[0]?.mirror_status).toBe('STOPPED');

    const writer = kafkaFor('destination').producer();
    await writer.connect();
    const [meta] = await writer.send({ topic, messages: [{ value: 'after-failover' }] });
    await writer.disconnect();
    expect(meta?.baseOffset).toBe('20');
  }, 120_000);
});
