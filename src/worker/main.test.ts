import { describe, expect, it } from 'vitest';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { ConfStore } from '../config/store.js';
import type { CreateLinkEngine, LinkSnapshot } from '../replication/engine-api.js';
import { waitFor } from '../util/wait-for.js';
import { runWorker, type RunWorkerOptions } from './main.js';
import { readStatusFile } from './status-file.js';
import { workerPaths } from './state-dir.js';

async function setup() {
  const root = fs.mkdtempSync(path.join(os.tmpdir(), 'clink-main-'));
  const configDir = path.join(root, 'config');
  const stateDir = path.join(root, 'state');
  const store = new ConfStore(configDir);
  await store.update((d) => {
    d.clusters.dr = { name: 'dr', bootstrapServers: 'h:1', clientConfig: {}, createdAt: 'c' };
    d.links.l = { name: 'l', linkId: 'id', destination: 'dr', sourceBootstrapServers: 's:1', sourceClientConfig: { 'sasl.jaas.config': 'secret-jaas' }, configs: {}, createdAt: 'c', updatedAt: 'u' };
  });
  return { store, configDir, stateDir };
}

function fakeEngine(behaviour: { applyError?: Error; hangOnStop?: boolean } = {}) {
  const applied: LinkSnapshot[] = [];
  let stopped = false;
  const create: CreateLinkEngine = () => ({
    async apply(snapshot) {
      if (behaviour.applyError) throw behaviour.applyError;
      applied.push(snapshot);
    },
    stop: () => (behaviour.hangOnStop ? new Promise<void>(() => {}) : ((stopped = true), Promise.resolve())),
  });
  return { applied, isStopped: () => stopped, loadEngine: async () => create };
}

function options(dirs: { configDir: string; stateDir: string }, controller: AbortController, loadEngine: RunWorkerOptions['loadEngine']): RunWorkerOptions {
  return { link: 'l', ...dirs, env: {}, signal: controller.signal, loadEngine, pollIntervalMs: 20, heartbeatMs: 50, stopTimeoutMs: 300 };
}

describe('runWorker', () => {
  it('reports ready after the first apply, re-applies on change, and stops cleanly when aborted', async () => {
    const { store, ...dirs } = await setup();
    const engine = fakeEngine();
    const controller = new AbortController();
    const running = runWorker(options(dirs, controller, engine.loadEngine));
    await waitFor(() => readStatusFile(dirs.stateDir, 'l')?.ready, { timeoutMs: 5_000, message: 'not ready' });
    expect(readStatusFile(dirs.stateDir, 'l')?.pid).toBe(process.pid);
    await store.update((d) => void (d.links.l!.configs['consumer.offset.sync.ms'] = '5000'));
    await waitFor(() => engine.applied.length === 2, { timeoutMs: 2_000, message: 'change not applied' });
    expect(engine.applied[1]?.link.configs).toEqual({ 'consumer.offset.sync.ms': '5000' });
    controller.abort();
    expect(await running).toBe('stopped');
    expect(engine.isStopped()).toBe(true);
    const paths = workerPaths(dirs.stateDir, 'l');
    expect(fs.existsSync(paths.lock) || fs.existsSync(paths.pid)).toBe(false);
    expect(readStatusFile(dirs.stateDir, 'l')?.ready).toBe(false);
    expect(fs.readFileSync(paths.log, 'utf8')).not.toContain('secret-jaas');
  });

  it('ends with link-deleted when the link disappears from the store', async () => {
    const { store, ...dirs } = await setup();
    const engine = fakeEngine();
    const running = runWorker(options(dirs, new AbortController(), engine.loadEngine));
    await waitFor(() => engine.applied.length === 1, { timeoutMs: 5_000, message: 'not applied' });
    await store.update((d) => void delete d.links.l);
    expect(await running).toBe('link-deleted');
  });

  it('fails to start when the first apply fails, and releases its lock', async () => {
    const { store: _store, ...dirs } = await setup();
    const engine = fakeEngine({ applyError: new Error('no route to destination') });
    await expect(runWorker(options(dirs, new AbortController(), engine.loadEngine))).rejects.toThrow(
      'the replication engine could not apply cluster link "l": no route to destination',
    );
    expect(fs.existsSync(workerPaths(dirs.stateDir, 'l').lock)).toBe(false);
  });

  it('returns stop-timed-out when the engine does not stop in time', async () => {
    const { store: _store, ...dirs } = await setup();
    const engine = fakeEngine({ hangOnStop: true });
    const controller = new AbortController();
    const running = runWorker(options(dirs, controller, engine.loadEngine));
    await waitFor(() => readStatusFile(dirs.stateDir, 'l')?.ready, { timeoutMs: 5_000, message: 'not ready' });
    const began = Date.now();
    controller.abort();
    expect(await running).toBe('stop-timed-out');
    expect(Date.now() - began).toBeLessThan(2_000);
  });

  it('refuses an unknown link before creating any state', async () => {
    const { store: _store, ...dirs } = await setup();
    await expect(runWorker({ ...options(dirs, new AbortController(), fakeEngine().loadEngine), link: 'nope' })).rejects.toThrow('cluster link "nope" not found');
    expect(fs.existsSync(dirs.stateDir)).toBe(false);
  });
});
