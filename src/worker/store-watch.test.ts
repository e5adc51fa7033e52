import { describe, expect, it } from 'vitest';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { StoreData } from '../core/ports.js';
import { createStoreWatcher, snapshotHash, snapshotOf } from './store-watch.js';

function data(): StoreData {
  return {
    schemaVersion: 1,
    clusters: { dr: { name: 'dr', bootstrapServers: 'h:1', clientConfig: {}, createdAt: 'c' } },
    links: {
      a: { name: 'a', linkId: 'id', destination: 'dr', sourceBootstrapServers: 's:1', sourceClientConfig: {}, configs: { x: '1', y: '2' }, createdAt: 'c', updatedAt: 'u' },
      b: { name: 'b', linkId: 'id2', destination: 'dr', sourceBootstrapServers: 's:1', sourceClientConfig: {}, configs: {}, createdAt: 'c', updatedAt: 'u' },
    },
    mirrors: {
      'a/t2': { link: 'a', mirrorTopic: 't2', sourceTopic: 't2', desiredState: 'ACTIVE', partitions: 1, configOverrides: {}, createdAt: 'c', stateChangedAtMs: 1 },
      'a/t1': { link: 'a', mirrorTopic: 't1', sourceTopic: 't1', desiredState: 'PAUSED', partitions: 1, configOverrides: {}, createdAt: 'c', stateChangedAtMs: 1 },
      'b/t1': { link: 'b', mirrorTopic: 't1', sourceTopic: 't1', desiredState: 'ACTIVE', partitions: 1, configOverrides: {}, createdAt: 'c', stateChangedAtMs: 1 },
    },
  };
}

describe('store watch', () => {
  it('builds a link snapshot with its destination and only its mirrors, sorted', () => {
    const snapshot = snapshotOf(data(), 'a');
    expect(snapshot?.destination.name).toBe('dr');
    expect(snapshot?.mirrors.map((m) => m.mirrorTopic)).toEqual(['t1', 't2']);
    expect(snapshotOf(data(), 'nope')).toBeUndefined();
    const orphan = data();
    orphan.clusters = {};
    expect(() => snapshotOf(orphan, 'a')).toThrow('destination cluster "dr" of cluster link "a" not found');
  });

  it('hashes a snapshot independently of key order, and differently when anything changes', () => {
    const one = snapshotOf(data(), 'a')!;
    const reordered = data();
    reordered.links.a!.configs = { y: '2', x: '1' };
    expect(snapshotHash(snapshotOf(reordered, 'a')!)).toBe(snapshotHash(one));
    reordered.links.a!.configs.x = '3';
    expect(snapshotHash(snapshotOf(reordered, 'a')!)).not.toBe(snapshotHash(one));
  });

  it('reads the store only when its file changed, and ignores changes to other links', async () => {
    const file = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'clink-watch-')), 'config.json');
    let reads = 0;
    const store = {
      filePath: file,
      read: async () => (reads++, JSON.parse(fs.readFileSync(file, 'utf8')) as StoreData),
    };
    const write = (d: StoreData) => {
      fs.writeFileSync(`${file}.tmp`, JSON.stringify(d));
      fs.renameSync(`${file}.tmp`, file); // as conf does: a new inode every time
    };
    const d = data();
    write(d);
    const watcher = createStoreWatcher(store, 'a');
    const first = await watcher.check();
    expect(first.state).toBe('snapshot');
    expect(await watcher.check()).toEqual({ state: 'unchanged' });
    expect(reads).toBe(1);
    d.links.b!.configs = { z: '1' };
    write(d);
    const other = await watcher.check();
    expect(other.state === 'snapshot' && first.state === 'snapshot' && other.hash === first.hash).toBe(true);
    d.links.a!.configs.x = '9';
    write(d);
    const changed = await watcher.check();
    expect(changed.state === 'snapshot' && first.state === 'snapshot' && changed.hash !== first.hash).toBe(true);
    delete d.links.a;
    write(d);
    expect(await watcher.check()).toEqual({ state: 'link-deleted' });
  });
});
