/** link deletion rules on a real config store in a temp dir (pure file I/O, no Kafka). */
import { describe, expect, it } from 'vitest';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { ConfStore } from '../../config/store.js';
import { checkLinksExist, deleteLinks, quoteNames } from './link-delete.js';
import type { LinkRecord } from '../model/link.js';
import type { MirrorRecord } from '../model/mirror.js';

function link(name: string): LinkRecord {
  return { name, linkId: `id-${name}`, destination: 'dr', sourceBootstrapServers: 'h:1', sourceClientConfig: {}, configs: {}, createdAt: '', updatedAt: '' };
}

function mirror(linkName: string, topic: string, desiredState: MirrorRecord['desiredState']): MirrorRecord {
  return { link: linkName, mirrorTopic: topic, sourceTopic: topic, desiredState, partitions: 1, configOverrides: {}, createdAt: '', stateChangedAtMs: 0 };
}

async function storeWith(mirrors: MirrorRecord[]): Promise<ConfStore> {
  const store = new ConfStore(fs.mkdtempSync(path.join(os.tmpdir(), 'clink-store-')));
  await store.update((d) => {
    d.links.a = link('a');
    d.links.b = link('b');
    for (const m of mirrors) d.mirrors[`${m.link}/${m.mirrorTopic}`] = m;
  });
  return store;
}

describe('link delete', () => {
  it('refuses a link with mirrors that are not stopped, and changes nothing', async () => {
    const store = await storeWith([mirror('a', 'orders', 'ACTIVE'), mirror('a', 'old', 'STOPPED')]);
    const before = JSON.stringify(await store.read());
    await expect(deleteLinks(['a'], false, { store })).rejects.toMatchObject({ code: 'CONFLICT', message: expect.stringContaining('"orders"') });
    expect(JSON.stringify(await store.read())).toBe(before);
  });

  it('counts the mirrors its worker created itself (auto-create) as live mirrors', async () => {
    const store = await storeWith([mirror('a', 'old', 'STOPPED')]);
    const status = { link: 'a', pid: 1, startedAtMs: 0, updatedAtMs: 0, ready: true, mirrors: {}, autoMirrors: [mirror('a', 'auto-orders', 'ACTIVE')] };
    const workers = { readStatus: async (l: string) => (l === 'a' ? status : undefined), ensureRunning: async () => {}, isRunning: async () => true };
    const before = JSON.stringify(await store.read());
    await expect(deleteLinks(['a'], false, { store, workers })).rejects.toMatchObject({ code: 'CONFLICT', message: expect.stringContaining('"auto-orders"') });
    expect(JSON.stringify(await store.read())).toBe(before);
    await deleteLinks(['a'], true, { store, workers });
    expect((await store.read()).links.a).toBeUndefined();
  });

  it('deletes links with only stopped mirrors, and any link when forced, with their mirror records', async () => {
    const store = await storeWith([mirror('a', 'old', 'STOPPED'), mirror('b', 'live', 'PAUSED')]);
    await deleteLinks(['a'], false, { store });
    await deleteLinks(['b'], true, { store });
    const data = await store.read();
    expect(data.links).toEqual({});
    expect(data.mirrors).toEqual({});
  });

  it('names every missing link before deleting anything', async () => {
    const store = await storeWith([]);
    await expect(checkLinksExist(['a', 'x', 'y', 'a'], { store })).rejects.toMatchObject({ code: 'NOT_FOUND', message: 'cluster links "x" and "y" not found' });
    await expect(deleteLinks(['a', 'z'], true, { store })).rejects.toMatchObject({ code: 'NOT_FOUND' });
    expect(Object.keys((await store.read()).links)).toEqual(['a', 'b']);
    expect(await checkLinksExist(['b', 'a', 'b'], { store })).toEqual(['b', 'a']);
  });

  it('quotes names the way Confluent does', () => {
    expect(quoteNames(['a'])).toBe('"a"');
    expect(quoteNames(['a', 'b'])).toBe('"a" and "b"');
    expect(quoteNames(['a', 'b', 'c'])).toBe('"a", "b", and "c"');
  });
});
