/**
 * `npm run bench -- --phase http`: what the worker's /metrics endpoint costs. A child
 * (bench/http-child.ts) serves a link of --mirrors N (default 100) × 6 partitions, every partition
 * lagging; this process scrapes it --scrapes times (default 200) over HTTP, one at a time, and reports
 * ms per scrape (median, p95, mean; plus the in-process render time), the exposition size, and the
 * RSS the endpoint adds (child RSS after GC with the endpoint and after the scrapes, minus before it).
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
  rssMB: { withoutEndpoint: number; withEndpoint: number; afterScrapes: number; added: number };
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
    const before = Number((await next('rssBefore')).rssBefore);
    const ready = await next('address');
    const address = String(ready.address);
    const withEndpoint = Number(await rssNow());
    const times: number[] = [];
    let body = '';
    for (let i = 0; i < scrapes; i++) {
      const t = performance.now();
      const r = await fetch(`http://${address}/metrics`);
      body = await r.text();
      times.push(performance.now() - t);
      if (r.status !== 200) throw new Error(`scrape answered ${r.status}`);
    }
    const after = Number(await rssNow());
    const sorted = [...times].sort((a, b) => a - b);
    const render = [...(ready.inProcessMs as number[])].sort((a, b) => a - b);
    const mb = (n: number) => round(n / 1048576);
    return {
      mirrors, partitionsPerMirror: partitions, scrapes,
      series: body.split('\n').filter((l) => l && !l.startsWith('#')).length,
      bytes: Buffer.byteLength(body),
      msPerScrape: { median: round(pct(sorted, 50), 2), p95: round(pct(sorted, 95), 2), mean: round(times.reduce((a, b) => a + b, 0) / times.length, 2) },
      inProcessRenderMs: { median: round(pct(render, 50), 2) },
      rssMB: { withoutEndpoint: mb(before), withEndpoint: mb(withEndpoint), afterScrapes: mb(after), added: mb(after - before) },
    };
  } finally {
    child.send('stop');
    await new Promise((resolve) => { child.once('exit', resolve); setTimeout(() => { child.kill('SIGKILL'); resolve(undefined); }, 5000).unref(); });
  }

  async function rssNow(): Promise<unknown> {
    const count = messages.filter((m) => 'rss' in m).length;
    child.send('rss');
    while (messages.filter((m) => 'rss' in m).length === count) await new Promise((r) => setTimeout(r, 10));
    return messages.filter((m) => 'rss' in m).at(-1)?.rss;
  }
}
