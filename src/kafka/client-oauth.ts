/**
 * OAUTHBEARER tokens as Kafka's Java client gets them with `sasl.oauthbearer.token.endpoint.url`
 * and OAuthBearerLoginModule's clientId/clientSecret/scope: the OAuth 2 client-credentials grant
 * (RFC 6749 §4.4, client authenticated with HTTP Basic). kafkajs asks for a token at every SASL
 * handshake; the token is cached and fetched anew once 80% of its lifetime has passed (Kafka's
 * sasl.login.refresh.window.factor default), so every new connection presents a valid token.
 * Invariants: the client secret and the tokens never appear in an error or log; a failing or slow
 * endpoint fails the handshake within `timeoutMs`, never hangs.
 */
import { AuthenticationError } from '../core/errors.js';

export interface OAuthClientCredentials {
  tokenUrl: string;
  clientId: string;
  clientSecret: string;
  scope?: string;
  timeoutMs?: number;
  now?: () => number;
}

export type OAuthBearerProvider = () => Promise<{ value: string }>;

const REFRESH_FACTOR = 0.8;

function failure(url: string, why: string): AuthenticationError {
  return new AuthenticationError(`the OAuth token endpoint ${url} ${why}`, {
    suggestion: 'Check `sasl.oauthbearer.token.endpoint.url` and the clientId, clientSecret and scope in `sasl.jaas.config`.',
  });
}

export function clientCredentialsProvider(options: OAuthClientCredentials): OAuthBearerProvider {
  const now = options.now ?? Date.now;
  let cached: { token: string; refreshAt: number } | undefined;
  let inFlight: Promise<string> | undefined;

  const fetchToken = async (): Promise<string> => {
    const body = new URLSearchParams({ grant_type: 'client_credentials', ...(options.scope ? { scope: options.scope } : {}) });
    const basic = Buffer.from(`${encodeURIComponent(options.clientId)}:${encodeURIComponent(options.clientSecret)}`).toString('base64');
    let response: Response;
    try {
      response = await fetch(options.tokenUrl, {
        method: 'POST',
        headers: { authorization: `Basic ${basic}`, 'content-type': 'application/x-www-form-urlencoded', accept: 'application/json' },
        body,
        signal: AbortSignal.timeout(options.timeoutMs ?? 10_000),
      });
    } catch (error) {
      const name = (error as Error).name;
      throw failure(options.tokenUrl, name === 'TimeoutError' ? 'did not answer in time' : 'could not be reached');
    }
    if (!response.ok) throw failure(options.tokenUrl, `refused the client credentials (HTTP ${response.status})`);
    let json: { access_token?: unknown; expires_in?: unknown };
    try {
      json = (await response.json()) as typeof json;
    } catch {
      throw failure(options.tokenUrl, 'answered with something that is not JSON');
    }
    if (typeof json.access_token !== 'string' || json.access_token === '') throw failure(options.tokenUrl, 'answered without an access_token');
    const lifetimeMs = typeof json.expires_in === 'number' && json.expires_in > 0 ? json.expires_in * 1000 : jwtLifetimeMs(json.access_token, now());
    cached = { token: json.access_token, refreshAt: now() + Math.max(0, lifetimeMs) * REFRESH_FACTOR };
    return json.access_token;
  };

  return async () => {
    if (cached && now() < cached.refreshAt) return { value: cached.token };
    inFlight ??= fetchToken().finally(() => {
      inFlight = undefined;
    });
    return { value: await inFlight };
  };
}

/** Lifetime from the JWT's `exp` claim, or one minute when the token is opaque. */
function jwtLifetimeMs(token: string, nowMs: number): number {
  try {
    const payload = JSON.parse(Buffer.from(token.split('.')[1] ?? '', 'base64url').toString('utf8')) as { exp?: unknown };
    if (typeof payload.exp === 'number') return payload.exp * 1000 - nowMs;
  } catch {
    // opaque token
  }
  return 60_000;
}
