/**
 * The client-credentials provider against a real HTTP token endpoint on loopback: HTTP Basic
 * client authentication, scope, caching, a fresh token once 80% of the lifetime has passed (fake
 * clock), concurrent handshakes sharing one request, and errors that never carry the secret.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { clientCredentialsProvider } from './client-oauth.js';

const SECRET = 'client-secret-&=%';
const requests: { auth?: string; body: string }[] = [];
let url: string;
let server: http.Server;
let status = 200;

beforeAll(async () => {
  server = http.createServer((req, res) => {
    let body = '';
    req.on('data', (d: Buffer) => (body += d.toString()));
    req.on('end', () => {
      requests.push({ ...(req.headers.authorization ? { auth: req.headers.authorization } : {}), body });
      res.writeHead(status, { 'content-type': 'application/json' }).end(JSON.stringify({ access_token: `token-${requests.length}`, expires_in: 100 }));
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/token`;
});
afterAll(() => new Promise((resolve) => server.close(resolve)));

describe('OAUTHBEARER client-credentials provider', () => {
  it('authenticates with HTTP Basic, caches the token and fetches a new one after 80% of its lifetime', async () => {
    requests.length = 0;
    let now = 1_000_000;
    const provider = clientCredentialsProvider({ tokenUrl: url, clientId: 'clink', clientSecret: SECRET, scope: 'kafka', now: () => now });
    expect(await Promise.all([provider(), provider()])).toEqual([{ value: 'token-1' }, { value: 'token-1' }]);
    expect(requests).toHaveLength(1);
    expect(requests[0]?.auth).toBe(`Basic ${Buffer.from(`clink:${encodeURIComponent(SECRET)}`).toString('base64')}`);
    expect(Object.fromEntries(new URLSearchParams(requests[0]?.body))).toEqual({ grant_type: 'client_credentials', scope: 'kafka' });
    now += 79_000;
    expect(await provider()).toEqual({ value: 'token-1' });
    now += 2_000;
    expect(await provider()).toEqual({ value: 'token-2' });
    expect(requests).toHaveLength(2);
  });

  it('fails naming the endpoint and the HTTP status, never the secret', async () => {
    status = 401;
    try {
      await expect(clientCredentialsProvider({ tokenUrl: url, clientId: 'clink', clientSecret: SECRET })()).rejects.toThrow(
        `the OAuth token endpoint ${url} refused the client credentials (HTTP 401)`,
      );
    } finally {
      status = 200;
    }
    const unreachable = clientCredentialsProvider({ tokenUrl: 'http://127.0.0.1:1/token', clientId: 'c', clientSecret: SECRET });
    const error = await unreachable().catch((e: Error) => e);
    expect(String((error as Error).message)).toBe('the OAuth token endpoint http://127.0.0.1:1/token could not be reached');
    expect(JSON.stringify(error)).not.toContain(SECRET);
  });
});
