/**
 * The short subset of the fault suite in `npm test` (the full one is `npm run test:faults`), on the
 * shared clusters, so only faults that disturb nothing but this file's own worker and topics: while
 * the producer of test/faults/scenario.ts writes to a plain and an lz4 topic, 3 SIGKILLs of the worker
 * and a pause/resume, then lag 0 and the record-by-record comparison (all zero). Then, on the same
 * running worker: the status file cannot be written (disk full: its temporary file is a symlink to
 * /dev/full), the config store is corrupted under it, and a mirror's destination topic is deleted.
 */
import fs from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { waitFor } from '../../src/util/wait-for.js';
import { alive, FaultScenario } from '../faults/scenario.js';
import { getClusters, kafkaFor, uniqueName, withAdmin } from '../helpers/kafka.js';

let s: FaultScenario;

beforeAll(() => {
  const { source, destination } = getClusters();
  s = new FaultScenario({ name: 'source', bootstrap: source.bootstrap }, { name: 'destination', bootstrap: destination.bootstrap }, uniqueName('faultq'));
});
afterAll(async () => {
  await s?.stop();
  const topics = Object.values(s?.topics ?? {});
  await withAdmin('source', (a) => a.deleteTopics({ topics })).catch(() => undefined);
  await withAdmin('destination', (a) => a.deleteTopics({ topics })).catch(() => undefined);
}, 120_000);

async function produce(topic: string, count: number): Promise<void> {
  const producer = kafkaFor('source').producer();
  await producer.connect();
  try {
    await producer.send({ topic, acks: -1, messages: Array.from({ length: count }, (_, i) => ({ partition: i % 3, value: `extra-${i}` })) });
  } finally {
    await producer.disconnect();
  }
}

const updatedAt = (): number => (JSON.parse(fs.readFileSync(s.statusFile, 'utf8')) as { updatedAtMs: number }).updatedAtMs;

describe.sequential('faults (short subset)', () => {
  it('3 worker SIGKILLs and a pause/resume under a live producer: nothing lost, duplicated or altered', async () => {
    await s.setUp();
    for (let i = 1; i <= 3; i++) await s.killWorker(i);
    await s.pauseResume();
    const results = await s.finish();
    for (const r of results) {
      expect(r, `${r.topic}: ${JSON.stringify(r)}; recoveries ${JSON.stringify(s.recoveries)}`).toMatchObject({ lost: 0, duplicated: 0, mismatched: 0, extra: 0, acknowledgedMissing: 0 });
      expect(r.destinationRecords).toBe(r.sourceRecords);
      expect(r.acknowledged).toBeGreaterThan(0);
    }
  }, 600_000);

  it('a status file that cannot be written (disk full) stops neither the worker nor the copy; the status resumes after', async () => {
    const pid = s.workerPid();
    const tmp = `${s.statusFile}.${pid}.tmp`;
    fs.symlinkSync('/dev/full', tmp);
    try {
      const before = updatedAt();
      await waitFor(() => fs.readFileSync(s.workerLog, 'utf8').includes('ENOSPC'), { timeoutMs: 30_000, message: `the worker never logged the failed status write:\n${s.logTail(10)}` });
      await produce(s.topics.plain, 30);
      await s.caughtUp('status file on a full disk');
      expect(alive(pid)).toBe(true);
      expect(updatedAt()).toBe(before);
    } finally {
      fs.rmSync(tmp, { force: true });
    }
    const stale = updatedAt();
    await waitFor(() => updatedAt() > stale, { timeoutMs: 30_000, message: 'the status file was not written again once the disk had room' });
    expect(s.workerPid()).toBe(pid);
  }, 120_000);

  it('a corrupted config store: clear errors naming the file, the worker keeps copying, the file is never rewritten', async () => {
    const pid = s.workerPid();
    const store = path.join(s.home.configDir, 'config.json');
    const good = fs.readFileSync(store);
    const corrupt = good.subarray(0, Math.floor(good.length / 2));
    fs.writeFileSync(store, corrupt);
    try {
      const list = await s.clink(['mirror', 'list']);
      expect(list.exitCode).toBe(1);
      expect(list.stderr).toContain(`Error: cannot read the config store "${store}"`);
      await waitFor(() => fs.readFileSync(s.workerLog, 'utf8').includes(store), { timeoutMs: 30_000, message: `the worker never reported the unreadable store:\n${s.logTail(10)}` });
      await produce(s.topics.lz4, 30);
      await s.caughtUp('config store corrupted');
      expect(alive(pid)).toBe(true);
      const stop = await s.clink(['worker', 'stop', s.link]);
      expect(stop.exitCode).toBe(1);
      expect(stop.stderr).toContain(store);
      expect(fs.readFileSync(store).equals(corrupt)).toBe(true);
    } finally {
      fs.writeFileSync(store, good);
    }
    expect((await s.clink(['mirror', 'list'])).exitCode).toBe(0);
    expect(s.workerPid()).toBe(pid);
  }, 120_000);

  it('the destination topic deleted under a running mirror: the worker survives and says so, the other mirror keeps copying', async () => {
    const pid = s.workerPid();
    await withAdmin('destination', (a) => a.deleteTopics({ topics: [s.topics.plain] }));
    await produce(s.topics.plain, 10);
    await produce(s.topics.lz4, 30);
    const describe = async () => JSON.parse((await s.must(['mirror', 'describe', s.topics.plain, '--link', s.link, '-o', 'json'])).toString()) as Record<string, unknown>[];
    const rows = await waitFor(async () => {
      const r = await describe();
      return JSON.stringify(r).match(/FAILED|not exist|UNKNOWN_TOPIC|deleted/i) ? r : undefined;
    }, { timeoutMs: 60_000, message: `mirror describe never showed the deleted destination topic:\n${s.logTail(15)}` });
    expect(JSON.stringify(rows)).toContain(s.topics.plain);
    expect(alive(pid)).toBe(true);
    const lz4 = await withAdmin('destination', (a) => a.fetchTopicOffsets(s.topics.lz4));
    const src = await withAdmin('source', (a) => a.fetchTopicOffsets(s.topics.lz4));
    await waitFor(async () => {
      const now = await withAdmin('destination', (a) => a.fetchTopicOffsets(s.topics.lz4));
      return now.every((p) => Number(p.high) >= Number(src.find((x) => x.partition === p.partition)?.high ?? 0));
    }, { timeoutMs: 60_000, message: `the lz4 mirror stopped copying after the other mirror's topic was deleted (was ${JSON.stringify(lz4)})` });
  }, 120_000);
});
