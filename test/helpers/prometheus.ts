/**
 * A real Prometheus server for tests (the Debian `prometheus` package: /usr/bin/prometheus and
 * promtool). Invariants: a missing binary fails with what to install, never a skip; the server has a
 * scratch storage directory of its own, listens on 127.0.0.1 only and is killed (and waited for) by
 * stop(); its output is kept for failure messages.
 */
import { execa, type ResultPromise } from 'execa';
import fs from 'node:fs';
import net from 'node:net';
import path from 'node:path';
import { tempDir } from './run-clink.js';
import { waitFor } from '../../src/util/wait-for.js';

export const INSTALL_HINT = 'install the Debian package `prometheus` (`apt-get install -y prometheus`; .ci/run does), which provides prometheus and promtool';

/** The path of a tool of the prometheus package, or an Error saying what to install. */
export function prometheusTool(name: 'prometheus' | 'promtool'): string {
  for (const dir of (process.env.PATH ?? '').split(path.delimiter).concat('/usr/bin')) {
    const file = path.join(dir, name);
    if (dir && fs.existsSync(file)) return file;
  }
  throw new Error(`${name} not found on PATH: ${INSTALL_HINT}`);
}

async function freePort(): Promise<number> {
  const server = net.createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const port = (server.address() as net.AddressInfo).port;
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return port;
}

export interface RunningPrometheus {
  url: string;
  /** The value of an instant query's first sample, or undefined when it has none. */
  query(expr: string): Promise<string | undefined>;
  output(): string;
  stop(): Promise<void>;
}

export async function startPrometheus(targets: string[], scrapeIntervalS = 1): Promise<RunningPrometheus> {
  const binary = prometheusTool('prometheus');
  const dir = tempDir('clink-prometheus-');
  const config = path.join(dir, 'prometheus.yml');
  fs.writeFileSync(config, [
    'global:',
    `  scrape_interval: ${scrapeIntervalS}s`,
    `  scrape_timeout: ${scrapeIntervalS}s`,
    'scrape_configs:',
    '  - job_name: clink',
    '    static_configs:',
    `      - targets: [${targets.map((t) => `'${t}'`).join(', ')}]`,
    '',
  ].join('\n'));
  let lastError = '';
  for (let attempt = 0; attempt < 3; attempt++) {
    const port = await freePort();
    let out = '';
    const child: ResultPromise = execa(binary, [`--config.file=${config}`, `--storage.tsdb.path=${path.join(dir, `data-${attempt}`)}`, `--web.listen-address=127.0.0.1:${port}`, '--log.level=warn'], { reject: false, all: true });
    child.all?.on('data', (chunk: Buffer) => (out += chunk.toString()));
    let exited = false;
    void child.then(() => (exited = true));
    const url = `http://127.0.0.1:${port}`;
    try {
      await waitFor(async () => exited || (await fetch(`${url}/-/ready`).then((r) => r.ok, () => false)), { timeoutMs: 60_000, intervalMs: 200, message: `prometheus did not get ready on ${url}` });
    } catch (error) {
      child.kill('SIGKILL');
      await child;
      throw new Error(`${(error as Error).message}; its output:\n${out}`);
    }
    if (exited) {
      lastError = out; // most likely the port was taken in between: try another
      continue;
    }
    return {
      url,
      output: () => out,
      async query(expr) {
        const r = await fetch(`${url}/api/v1/query?query=${encodeURIComponent(expr)}`);
        const body = (await r.json()) as { status: string; data?: { result?: Array<{ value: [number, string] }> }; error?: string };
        if (body.status !== 'success') throw new Error(`prometheus query ${expr} failed: ${body.error ?? r.status}`);
        return body.data?.result?.[0]?.value[1];
      },
      async stop() {
        child.kill('SIGTERM');
        const timer = setTimeout(() => child.kill('SIGKILL'), 10_000);
        await child;
        clearTimeout(timer);
      },
    };
  }
  throw new Error(`prometheus exited at start three times; its last output:\n${lastError}`);
}
