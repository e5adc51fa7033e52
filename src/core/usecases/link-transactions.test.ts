import { describe, expect, it } from 'vitest';
import type { WorkerStatusFile } from '../model/mirror.js';
import { linkTransactions } from './link-query.js';

describe('linkTransactions', () => {
  const status = (fallback?: string): WorkerStatusFile => ({
    link: 'dr-link', pid: 1, startedAtMs: 0, updatedAtMs: 0, ready: true,
    mirrors: { b: { mirrorTopic: 'b', sourceTopic: 'b', status: 'ACTIVE', statusTimeMs: 0, partitions: [{ partition: 0, status: 'ACTIVE', lastSourceFetchOffset: 0, sourceHighWatermark: 0, destinationLogEnd: 0, updatedAtMs: 0, transactions: fallback ? 'fillers' : 'exact', ...(fallback ? { transactionsFallback: fallback } : {}) }] } },
  });
  it('lists the partitions that fell back, only while the worker runs and the link asks for exact', () => {
    expect(linkTransactions({}, status('no ACLs'), true)).toEqual({ mode: 'exact', fallbacks: [{ mirrorTopic: 'b', partition: 0, reason: 'no ACLs' }] });
    expect(linkTransactions({}, status('no ACLs'), false)).toEqual({ mode: 'exact', fallbacks: [] });
    expect(linkTransactions({ 'mirror.transactions': 'fillers' }, status(), true)).toEqual({ mode: 'fillers', fallbacks: [] });
    expect(linkTransactions({}, status(), true)).toEqual({ mode: 'exact', fallbacks: [] });
  });
});
