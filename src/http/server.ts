/**
 * The worker's HTTP endpoint: GET /metrics (Prometheus text format), GET /healthz, and the read-only
 * Confluent REST v3 paths (rest.ts). Invariants: it listens only where it was told (127.0.0.1 unless a
 * host was given); listen() either resolves listening or rejects with a ClinkError (port in use →
 * CONFLICT) having bound nothing; no request ever reaches Kafka; close() resolves within 2 s with every
 * connection closed.
 */
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { ClinkError, ErrorCode } from '../core/errors.js';
import { formatHttpListen, type HttpListen } from '../core/http-listen.js';
import type { WorkerMetrics } from './metrics.js';
import { answerRest, REST_PREFIX } from './rest.js';
import type { WorkerView } from './worker-view.js';

export class HttpListenError extends ClinkError {
  constructor(readonly address: string, reason: string, link: string) {
    super(ErrorCode.CONFLICT, `the worker of cluster link "${link}" cannot listen for HTTP on ${address}: ${reason}`, {
      suggestion: `Choose another port (\`--http-port <port>\`, or \`clink link configuration update ${link} --config http.listen=127.0.0.1:<port>\`), or stop the process that holds it (\`ss -ltnp 'sport = :${address.replace(/.*:/, '')}'\`).`,
    });
  }
}

export interface WorkerHttpServer {
  /** Where it listens, host:port (the real port when 0 was asked for). */
  readonly address: string;
  close(): Promise<void>;
}

function send(res: http.ServerResponse, status: number, type: string, body: string, headers: Record<string, string> = {}, head = false): void {
  res.writeHead(status, { 'content-type': type, 'content-length': Buffer.byteLength(body), 'cache-control': 'no-store', ...headers });
  res.end(head ? undefined : body);
}

const json = (res: http.ServerResponse, status: number, body: unknown, headers?: Record<string, string>, head = false) =>
  send(res, status, 'application/json', JSON.stringify(body) + '\n', headers, head);

function health(view: WorkerView): { status: number; body: Record<string, unknown> } {
  const phase = view.phase();
  const error = view.status().error;
  if (phase !== 'running') return { status: 503, body: { status: phase === 'stopping' ? 'STOPPING' : 'STARTING' } };
  if (error) return { status: 503, body: { status: 'FAILED', error } };
  return { status: 200, body: { status: 'RUNNING' } };
}

export async function startWorkerHttpServer(listen: HttpListen, link: string, view: WorkerView, metrics: WorkerMetrics): Promise<WorkerHttpServer> {
  const server = http.createServer((req, res) => {
    const method = req.method ?? 'GET';
    const head = method === 'HEAD';
    const url = new URL(req.url ?? '/', 'http://clink.invalid');
    const origin = `http://${req.headers.host ?? formatHttpListen(listen)}`;
    void (async () => {
      try {
        if (url.pathname.startsWith(REST_PREFIX)) {
          const answer = answerRest(method, url, origin, view);
          return json(res, answer.status, answer.body, answer.headers, head);
        }
        if (url.pathname !== '/metrics' && url.pathname !== '/healthz') return json(res, 404, { error_code: 404, message: `no such resource: ${url.pathname}` }, undefined, head);
        if (method !== 'GET' && !head) return json(res, 405, { error_code: 405, message: `method ${method} is not allowed on ${url.pathname}` }, { allow: 'GET, HEAD' });
        if (url.pathname === '/healthz') {
          const h = health(view);
          return json(res, h.status, h.body, undefined, head);
        }
        send(res, 200, metrics.contentType, await metrics.scrape(), {}, head);
      } catch (error) {
        json(res, 500, { error_code: 500, message: `internal error: ${error instanceof Error ? error.message : String(error)}` });
      }
    })();
  });
  server.keepAliveTimeout = 5_000;
  const wanted = formatHttpListen(listen);
  await new Promise<void>((resolve, reject) => {
    const failed = (error: NodeJS.ErrnoException) => {
      server.close();
      const reason = error.code === 'EADDRINUSE' ? 'the address is already in use'
        : error.code === 'EACCES' ? 'permission denied (ports below 1024 need privileges)'
        : error.code === 'EADDRNOTAVAIL' || error.code === 'ENOTFOUND' ? 'no such local address'
        : error.message;
      reject(new HttpListenError(wanted, reason, link));
    };
    server.once('error', failed);
    server.listen({ host: listen.host, port: listen.port, exclusive: true }, () => {
      server.off('error', failed);
      resolve();
    });
  });
  const bound = server.address() as AddressInfo;
  const address = formatHttpListen({ host: listen.host, port: bound.port });
  return {
    address,
    close: () =>
      new Promise<void>((resolve) => {
        const timer = setTimeout(resolve, 2_000);
        timer.unref();
        server.close(() => {
          clearTimeout(timer);
          resolve();
        });
        server.closeAllConnections();
      }),
  };
}
