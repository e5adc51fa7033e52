/**
 * `npm run bench -- --phase http`: what the worker's /metrics endpoint costs. A child
 * (bench/http-child.ts) serves a link of --mirrors N (default 100) × 6 partitions, every partition
 * lagging; this process scrapes it --scrapes times (default 200) over HTTP, one at a time, and reports
 * ms per scrape (median, p95, mean; plus the in-process render time), the exposition size, and the
 * memory the endpoint adds: child RSS and V8 heap after GC, after the scrapes, minus before the
 * endpoint existed (the modules are loaded in both).
 * No Kafka: a scrape never reads Kafka, so none is needed to measure it.
 */
import { fork } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { round } from './processes.js';

export interface HttpScrapeResult {
  mirrors: number;
  partitionsPerMirror: number;
  scrapes: number;
  series: number;
  bytes: number;
  msPerScrape: { median: number; p95: number; mean: number };
  inProcessRenderMs: { median: number };
  rssMB: { withoutEndpoint: number; listening: number; afterScrapes: number; added: number };
  /** V8 heap in use after GC: what the endpoint keeps (RSS also holds freed pages V8 keeps for reuse). */
  heapMB: { withoutEndpoint: number; afterScrapes: number; added: number };
}

const pct = (sorted: number[], p: number) => sorted[Math.min(sorted.length - 1, Math.floor((sorted.length * p) / 100))] ?? 0;

export async function httpScrapeBench(mirrors: number, scrapes: number): Promise<HttpScrapeResult> {
  const partitions = 6;
  const child = fork(fileURLToPath(new URL('./http-child.js', import.meta.url)), [String(mirrors), String(partitions)], { execArgv: ['--expose-gc'], stdio: ['ignore', 'inherit', 'inherit', 'ipc'] });
  const messages: Record<string, unknown>[] = [];
  const next = (key: string) =>
    new Promise<Record<string, unknown>>((resolve, reject) => {
      const check = () => {
        const found = messages.find((m) => key in m);
        if (found) return resolve(found);
        setTimeout(check, 10);
      };
      child.once('exit', (code) => reject(new Error(`the http bench child exited with ${code}`)));
      check();
    });
  child.on('message', (m) => messages.push(m as Record<string, unknown>));
  try {
    const first = await next('rssBefore');
    const before = Number(first.rssBefore);
    const ready = await next('address');
    const address = String(ready.address);
    const times: number[] = [];
    let body = '';
    for (let i = 0; i < scrapes; i++) {
      const t = performance.now();
      const r = await fetch(`http://${address}/metrics`);
      body = await r.text();
      times.push(performance.now() - t);
      if (r.status !== 200) throw new Error(`scrape answered ${r.status}`);
    }
    const afterAll = await rssNow();
    const after = Number(afterAll.rss);
    const sorted = [...times].sort((a, b) => a - b);
    const render = [...(ready.inProcessMs as number[])].sort((a, b) => a - b);
    const mb = (n: number) => round(n / 1048576);
    return {
      mirrors, partitionsPerMirror: partitions, scrapes,
      series: body.split('\n').filter((l) => l && !l.startsWith('#')).length,
      bytes: Buffer.byteLength(body),
      msPerScrape: { median: round(pct(sorted, 50), 2), p95: round(pct(sorted, 95), 2), mean: round(times.reduce((a, b) => a + b, 0) / times.length, 2) },
      inProcessRenderMs: { median: round(pct(render, 50), 2) },
      rssMB: { withoutEndpoint: mb(before), listening: mb(Number(ready.rssListening)), afterScrapes: mb(after), added: mb(after - before) },
      heapMB: { withoutEndpoint: mb(Number(first.heapBefore)), afterScrapes: mb(Number(afterAll.heap)), added: mb(Number(afterAll.heap) - Number(first.heapBefore)) },
    };
  } finally {
    child.send('stop');
    await new Promise((resolve) => { child.once('exit', resolve); setTimeout(() => { child.kill('SIGKILL'); resolve(undefined); }, 5000).unref(); });
  }

  async function rssNow(): Promise<Record<string, unknown>> {
    const count = messages.filter((m) => 'rss' in m).length;
    child.send('rss');
    while (messages.filter((m) => 'rss' in m).length === count) await new Promise((r) => setTimeout(r, 10));
    return messages.filter((m) => 'rss' in m).at(-1) ?? {};
  }
}
