/**
 * `clink mirror verify` against the real brokers. Mirrors are registered with `mirror create --no-start`
 * (which creates the destination topic) and filled without the worker: source batches are fetched raw
 * and produced raw, so their offsets and bytes are the source's; then the mirror is made to differ on
 * purpose. Last, the replication engine itself fills mirrors (every codec, transactions) and verify
 * must find them identical.
 */
import { spawn } from 'node:child_process';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CompressionTypes, type Message } from 'kafkajs';
import '../../src/kafka/codecs.js';
import { ConfStore } from '../../src/config/store.js';
import { RawCluster, fetchRaw, nextOffsetOf, produceRaw, sanitiseForProduce, type RawBatch } from '../../src/kafka/raw/index.js';
import { getClusters, kafkaFor, uniqueName, withAdmin, type ClusterSide } from '../helpers/kafka.js';
import { clinkHome, type ClinkHome } from '../helpers/run-clink.js';
import { EngineRun, waitForCaughtUp } from './replication-engine.support.js';

const LIBS = new URL('../../kafka/libs-4.1.1/*', import.meta.url).pathname;
const BASE_TS = Date.now() - 600_000;
let home: ClinkHome;
const raw: Partial<Record<ClusterSide, RawCluster>> = {};
const rawFor = (side: ClusterSide) => raw[side] as RawCluster;

beforeAll(async () => {
  const { source, destination } = getClusters();
  home = clinkHome();
  expect((await home.run(['cluster', 'add', 'dr', '--bootstrap-server', destination.bootstrap, '--no-validate'])).exitCode).toBe(0);
  expect((await home.run(['link', 'create', 'dr-link', '--source-bootstrap-server', source.bootstrap, '--cluster', 'dr', '--no-validate'])).exitCode).toBe(0);
  for (const side of ['source', 'destination'] as const) {
    raw[side] = new RawCluster({ brokers: [getClusters()[side].bootstrap], clientId: 'verify-it' });
    await rawFor(side).connect();
  }
});
afterAll(() => Promise.all(Object.values(raw).map((c) => c?.close())));

async function createSourceTopic(topic: string, partitions: number): Promise<void> {
  await withAdmin('source', (admin) => admin.createTopics({ waitForLeaders: true, topics: [{ topic, numPartitions: partitions, replicationFactor: 1 }] }));
}

async function produce(side: ClusterSide, topic: string, batches: Message[][], compression = CompressionTypes.None): Promise<void> {
  const producer = kafkaFor(side).producer({ allowAutoTopicCreation: false });
  await producer.connect();
  try {
    for (const messages of batches) await producer.send({ topic, compression, messages });
  } finally {
    await producer.disconnect();
  }
}

/** Every batch of a partition, in order. */
async function batchesOf(side: ClusterSide, topic: string, partition: number): Promise<RawBatch[]> {
  const out: RawBatch[] = [];
  let offset = 0n;
  for (;;) {
    const r = await fetchRaw(rawFor(side), { topic, partition, offset, maxBytes: 1 << 20, maxWaitMs: 0, isolation: 'read_uncommitted' });
    expect(r.errorName).toBe('NONE');
    const last = r.batches.at(-1);
    if (last === undefined) return out;
    out.push(...r.batches.filter((b) => nextOffsetOf(b) > offset));
    offset = nextOffsetOf(last);
    if (offset >= r.highWatermark) return out;
  }
}

/** Registers the mirror (creating the destination topic), then copies every source batch raw, at the source offsets. */
async function mirrorByRawCopy(topic: string, partitions: number): Promise<void> {
  const created = await home.run(['mirror', 'create', topic, '--link', 'dr-link', '--no-start']);
  expect(created.stderr).toBe('');
  for (let p = 0; p < partitions; p++) {
    for (const batch of await batchesOf('source', topic, p)) {
      const result = await produceRaw(rawFor('destination'), { topic, partition: p, batch: sanitiseForProduce(batch), acks: -1, timeoutMs: 10_000 });
      expect([result.errorName, result.baseOffset]).toEqual(['NONE', batch.baseOffset]);
    }
  }
}

type Row = { mirror_topic_name: string; partition: number; result: string; records_compared: number; first_differing_offset: number | null; detail: string };
async function verify(topic: string): Promise<{ exitCode: number; rows: Row[]; stderr: string }> {
  const r = await home.run(['mirror', 'verify', topic, '--link', 'dr-link', '-o', 'json']);
  return { exitCode: r.exitCode, rows: r.stdout ? (JSON.parse(r.stdout) as Row[]) : [], stderr: r.stderr };
}

const mixed = (count: number, salt: string, partitions = 1): Message[] =>
  Array.from({ length: count }, (_, i) => {
    const m: Message = { value: i % 7 === 0 ? null : `value-${salt}-${i}-${'v'.repeat((i * 13) % 900)}`, timestamp: String(BASE_TS + i), partition: i % partitions };
    if (i % 4 !== 0) m.key = i % 4 === 1 ? Buffer.from([0, 1, 2, i % 256]) : `key-${i % 31}`;
    if (i % 3 !== 0) m.headers = { trace: `t-${i}`, rep: [`a${i}`, `b${i}`], ...(i % 2 ? { empty: '' } : {}) };
    return m;
  });

describe('clink mirror verify on raw copies', () => {
  it('finds an exact copy identical: mixed keys, headers, null values, 3 partitions', async () => {
    const topic = uniqueName('verify-same');
    await createSourceTopic(topic, 3);
    await produce('source', topic, [mixed(150, 'a', 3), mixed(90, 'b', 3), mixed(1, 'c', 3)]);
    await mirrorByRawCopy(topic, 3);
    const { exitCode, rows, stderr } = await verify(topic);
    expect(stderr).toBe('');
    expect(exitCode).toBe(0);
    expect(rows).toEqual([0, 1, 2].map((partition) => ({
      mirror_topic_name: topic, partition, result: 'identical', records_compared: partition === 0 ? 81 : 80, first_differing_offset: null,
      detail: `offsets 0-${partition === 0 ? 80 : 79} identical`,
    })));
    const human = await home.run(['mirror', 'verify', topic, '--link', 'dr-link']);
    expect(human.stdout).toMatch(/Mirror Topic Name +\| +Partition +\| +Result +\| +Records Compared +\| +First Differing Offset +\| +Detail/);
    expect(human.stdout).toMatch(new RegExp(`${topic} +\\| +1 \\| identical +\\| +80 \\| +\\| offsets 0-79 identical`));
  });

  it('exits 5 at exactly the offset of a record someone else produced to the mirror', async () => {
    const topic = uniqueName('verify-foreign');
    await createSourceTopic(topic, 2);
    await produce('source', topic, [mixed(40, 'a', 2)]);
    await mirrorByRawCopy(topic, 2);
    await produce('destination', topic, [[{ partition: 1, key: 'intruder', value: 'not from the source' }]]);
    const past = await verify(topic);
    expect(past.exitCode).toBe(5);
    expect(JSON.parse(past.stderr)).toMatchObject({ error: { code: 'CONFLICT', message: `mirror topic "${topic}" differs from its source in 1 partition`, exit_code: 5 } });
    expect(past.rows[0]).toMatchObject({ partition: 0, result: 'identical', records_compared: 20 });
    expect(past.rows[1]).toEqual({
      mirror_topic_name: topic, partition: 1, result: 'differs', records_compared: 20, first_differing_offset: 20,
      detail: 'destination has records past the source log end 20, from offset 20',
    });
    await produce('source', topic, [[{ partition: 1, key: 'intruder', value: 'the real record' }]]);
    const { exitCode, rows } = await verify(topic);
    expect(exitCode).toBe(5);
    expect(rows[1]).toMatchObject({ result: 'differs', first_differing_offset: 20, detail: 'value, timestamp differ at offset 20' });
    const human = await home.run(['mirror', 'verify', topic, '--link', 'dr-link']);
    expect(human.exitCode).toBe(5);
    expect(human.stdout).toMatch(new RegExp(`${topic} +\\| +1 \\| differs +\\| +20 \\| +20 \\| value, timestamp differ at offset 20`));
    expect(human.stderr).toBe(`Error: mirror topic "${topic}" differs from its source in 1 partition\n\nSuggestions:\n    The Detail column names, per partition, the first offset that differs and what differs there.\n`);
  });

  it('says when the destination has records the source no longer has', async () => {
    const topic = uniqueName('verify-truncated');
    await createSourceTopic(topic, 1);
    await produce('source', topic, [mixed(10, 'a'), mixed(10, 'b')]);
    await mirrorByRawCopy(topic, 1);
    await withAdmin('source', async (admin) => {
      await admin.fetchTopicMetadata({ topics: [topic] }); // kafkajs needs the metadata loaded first
      await admin.deleteTopicRecords({ topic, partitions: [{ partition: 0, offset: '10' }] });
    });
    const { exitCode, rows } = await verify(topic);
    expect(exitCode).toBe(5);
    expect(rows).toEqual([{
      mirror_topic_name: topic, partition: 0, result: 'source_truncated', records_compared: 10, first_differing_offset: 0,
      detail: 'destination has records the source no longer has: offsets 0-9 (source log start 10); offsets 10-19 identical',
    }]);
  });

  it('exits 4 for an unknown mirror or link', async () => {
    const unknownMirror = await home.run(['mirror', 'verify', 'no-such-mirror', '--link', 'dr-link']);
    expect(unknownMirror.exitCode).toBe(4);
    expect(unknownMirror.stderr).toContain('Error: mirror topic "no-such-mirror" not found on cluster link "dr-link"');
    const unknownLink = await home.run(['mirror', 'verify', 'x', '--link', 'nope']);
    expect(unknownLink.exitCode).toBe(4);
    expect(unknownLink.stderr).toContain('cluster link "nope" not found');
    expect(unknownLink.stdout).toBe('');
  });
});

/** Runs a Kafka tool class in a JVM of its own; resolves with its stdout. */
function runJava(tool: string, args: string[], input = ''): Promise<string> {
  const child = spawn('java', ['-Xmx256m', '-XX:TieredStopAtLevel=1', '-cp', LIBS, tool, ...args], { stdio: ['pipe', 'pipe', 'pipe'] });
  const out = { stdout: '', stderr: '' };
  child.stdout.on('data', (d: Buffer) => (out.stdout += d.toString()));
  child.stderr.on('data', (d: Buffer) => (out.stderr += d.toString()));
  child.stdin.end(input);
  return new Promise<string>((resolve, reject) => {
    child.on('error', reject);
    child.on('exit', (code) => (code === 0 ? resolve(out.stdout) : reject(new Error(`${tool} exited ${code}: ${out.stderr.slice(-2000)}`))));
  });
}

describe('codecs', () => {
  const run = uniqueName('verify-codec');
  const big = (b: number): Message[] => Array.from({ length: 120 }, (_, i) => ({ key: `k${i % 9}`, value: `${b}:${i}:` + 'payload '.repeat(60 + (i % 40)), headers: { n: String(i) }, timestamp: String(BASE_TS + i) }));
  const kafkajsCodecs = [['gzip', CompressionTypes.GZIP], ['snappy', CompressionTypes.Snappy], ['lz4', CompressionTypes.LZ4], ['zstd', CompressionTypes.ZSTD]] as const;

  it.each(kafkajsCodecs)('%s from kafkajs: copied raw, identical, batches forwarded without recompression', async (codec, type) => {
    const topic = `${run}-${codec}`;
    await createSourceTopic(topic, 1);
    await produce('source', topic, [big(0), big(1), mixed(30, codec)], type);
    await mirrorByRawCopy(topic, 1);
    const [src, dst] = await Promise.all([batchesOf('source', topic, 0), batchesOf('destination', topic, 0)]);
    expect(src.length).toBe(3);
    expect(src.every((b) => b.codec === codec)).toBe(true);
    expect(dst.map((b) => [b.baseOffset, b.attributes & 0x07])).toEqual(src.map((b) => [b.baseOffset, b.attributes & 0x07]));
    dst.forEach((b, i) => expect(b.bytes.subarray(61).equals((src[i] as RawBatch).bytes.subarray(61))).toBe(true));
    const { exitCode, rows } = await verify(topic);
    expect(exitCode).toBe(0);
    expect(rows).toEqual([expect.objectContaining({ result: 'identical', records_compared: 270, detail: 'offsets 0-269 identical' })]);
  });

  it('Kafka’s Java consumer reads the snappy, lz4 and zstd batches clink’s codecs wrote', async () => {
    const out = await runJava('org.apache.kafka.tools.consumer.ConsoleConsumer', [
      '--bootstrap-server', getClusters().destination.bootstrap, '--include', `${run}-(snappy|lz4|zstd)`, '--from-beginning', '--max-messages', String(3 * 270), '--timeout-ms', '30000', '--property', 'print.key=true',
    ]);
    const lines = out.split('\n').filter(Boolean);
    expect(lines).toHaveLength(3 * 270);
    expect(lines.filter((l) => l === `k5\t0:5:${'payload '.repeat(65)}`)).toHaveLength(3);
  });

  it('lz4 from Kafka’s Java producer (15 keyed records with headers): copied raw, identical', async () => {
    const topic = `${run}-java-lz4`;
    await createSourceTopic(topic, 1);
    const lines = Array.from({ length: 15 }, (_, i) => `h1:a${i},h2:b${i}\tkey-${i}\tvalue-${i}-${'y'.repeat(i * 500)}`);
    await runJava('org.apache.kafka.tools.ConsoleProducer', [
      '--bootstrap-server', getClusters().source.bootstrap, '--topic', topic, '--compression-codec', 'lz4',
      '--producer-property', 'linger.ms=200', '--property', 'parse.key=true', '--property', 'parse.headers=true',
    ], lines.join('\n') + '\n');
    await mirrorByRawCopy(topic, 1);
    const src = await batchesOf('source', topic, 0);
    expect(src.every((b) => b.codec === 'lz4' && b.producerId >= 0n)).toBe(true);
    const { exitCode, rows } = await verify(topic);
    expect(exitCode).toBe(0);
    expect(rows).toEqual([expect.objectContaining({ result: 'identical', records_compared: 15 })]);
  });
});

describe('mirrors filled by the replication engine', () => {
  async function mirrorWithEngine(topics: string[]): Promise<void> {
    for (const topic of topics) expect((await home.run(['mirror', 'create', topic, '--link', 'dr-link', '--no-start'])).exitCode).toBe(0);
    const data = await new ConfStore(home.configDir).read();
    const link = data.links['dr-link'];
    const destination = data.clusters.dr;
    if (!link || !destination) throw new Error('link or cluster missing from the store');
    const engine = new EngineRun();
    try {
      await engine.engine.apply({ link, destination, mirrors: topics.map((t) => data.mirrors[`dr-link/${t}`]).filter((m) => m !== undefined) });
      for (const topic of topics) await waitForCaughtUp(topic, 90_000);
    } finally {
      await engine.engine.stop();
    }
  }

  it('one topic per codec comes out identical', async () => {
    const topics = ['none', 'gzip', 'snappy', 'lz4', 'zstd'].map((c) => uniqueName(`verify-engine-${c}`));
    const types = [CompressionTypes.None, CompressionTypes.GZIP, CompressionTypes.Snappy, CompressionTypes.LZ4, CompressionTypes.ZSTD];
    await Promise.all(topics.map(async (topic, i) => {
      await createSourceTopic(topic, 2);
      await produce('source', topic, [mixed(200, 'x', 2), mixed(50, 'y', 2)], types[i]);
    }));
    await mirrorWithEngine(topics);
    for (const topic of topics) {
      const { exitCode, rows } = await verify(topic);
      expect(rows.map((r) => [r.result, r.records_compared])).toEqual([['identical', 125], ['identical', 125]]);
      expect(exitCode).toBe(0);
    }
  });

  it('mirror.transactions=exact: markers and aborted records are mirrored as such, which match (type, offset, read_committed view)', async () => {
    const topic = uniqueName('verify-engine-txn');
    await createSourceTopic(topic, 1);
    const producer = kafkaFor('source').producer({ transactionalId: uniqueName('verify-txn'), maxInFlightRequests: 1, idempotent: true });
    await producer.connect();
    for (const outcome of ['commit', 'abort', 'commit'] as const) {
      const txn = await producer.transaction();
      await txn.send({ topic, compression: CompressionTypes.LZ4, messages: [{ key: 'k', value: `${outcome}-1` }, { value: `${outcome}-2` }] });
      await (outcome === 'commit' ? txn.commit() : txn.abort());
    }
    await producer.disconnect();
    await mirrorWithEngine([topic]);
    const { exitCode, rows } = await verify(topic);
    expect(rows).toEqual([expect.objectContaining({ result: 'identical', records_compared: 9, detail: 'offsets 0-8 identical, 3 transaction markers matched' })]);
    expect(exitCode).toBe(0);
  });
});
