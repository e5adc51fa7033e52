import { describe, expect, it } from 'vitest';
import type { MirrorRecord, WorkerStatusFile } from '../model/mirror.js';
import type { StoreData } from '../ports.js';
import { withAutoMirrors } from '../../replication/auto-create.js';
import type { LinkSnapshot } from '../../replication/engine-api.js';
import { autoMirrors, findMirror, linkMirrors } from './mirror-auto.js';

const record = (topic: string, desiredState: MirrorRecord['desiredState'] = 'ACTIVE', link = 'l'): MirrorRecord => ({
  link,
  mirrorTopic: topic,
  sourceTopic: topic,
  desiredState,
  partitions: 1,
  configOverrides: {},
  createdAt: '2026-01-01T00:00:00.000Z',
  stateChangedAtMs: 0,
});

const status = (mirrors: MirrorRecord[]): WorkerStatusFile => ({ link: 'l', pid: 1, startedAtMs: 0, updatedAtMs: 0, ready: true, mirrors: {}, autoMirrors: mirrors });

describe('auto-created mirrors', () => {
  const data = { mirrors: { 'l/a': record('a', 'PAUSED'), 'm/x': record('x', 'ACTIVE', 'm') } } as unknown as StoreData;

  it('a stored mirror of the same topic wins over the reported one', () => {
    const reported = status([record('a'), record('b')]);
    expect(autoMirrors(data, 'l', reported).map((m) => m.mirrorTopic)).toEqual(['b']);
    expect(linkMirrors(data, 'l', reported).map((m) => [m.mirrorTopic, m.desiredState])).toEqual([['a', 'PAUSED'], ['b', 'ACTIVE']]);
    expect(findMirror(data, 'l', 'a', reported)?.desiredState).toBe('PAUSED');
    expect(findMirror(data, 'l', 'b', reported)?.mirrorTopic).toBe('b');
    expect(findMirror(data, 'l', 'c', reported)).toBeUndefined();
    expect(linkMirrors(data, 'l', undefined).map((m) => m.mirrorTopic)).toEqual(['a']);
  });

  it('the engine is given the stored mirrors plus the auto ones not stored', () => {
    const snapshot = { link: { name: 'l' }, destination: {}, mirrors: [record('a', 'PAUSED')] } as unknown as LinkSnapshot;
    expect(withAutoMirrors(snapshot, []).mirrors).toHaveLength(1);
    const merged = withAutoMirrors(snapshot, [record('a'), record('b'), record('z', 'ACTIVE', 'other')]);
    expect(merged.mirrors.map((m) => [m.mirrorTopic, m.desiredState])).toEqual([['a', 'PAUSED'], ['b', 'ACTIVE']]);
  });
});
