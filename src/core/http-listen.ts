/**
 * Where a worker's HTTP endpoint (metrics, REST, health) listens: the link config
 * `http.listen=[host:]port` or `--http-port <port>`. Invariants: the host defaults to 127.0.0.1 (only
 * an explicit host binds elsewhere); a port is an integer 0..65535 (0: any free port, the worker
 * shows the one it got); a bad value is an InvalidConfigError or UsageError naming where it came from.
 */
import { InvalidConfigError, UsageError } from './errors.js';

export const DEFAULT_HTTP_HOST = '127.0.0.1';

export interface HttpListen {
  host: string;
  port: number;
}

const PORT = /^\d{1,5}$/;

function port(text: string): number | undefined {
  const n = Number(text);
  return PORT.test(text) && n <= 65535 ? n : undefined;
}

/** `[host:]port`, `[ipv6]:port`; undefined when the text is not that. */
function parse(text: string): HttpListen | undefined {
  const v = text.trim();
  const only = port(v);
  if (only !== undefined) return { host: DEFAULT_HTTP_HOST, port: only };
  const m = /^(\[[0-9a-fA-F:.]+\]|[A-Za-z0-9][A-Za-z0-9.-]*):(\d{1,5})$/.exec(v);
  const p = m ? port(m[2] ?? '') : undefined;
  if (!m || p === undefined) return undefined;
  return { host: (m[1] ?? '').replace(/^\[(.*)\]$/, '$1'), port: p };
}

/** The value of the `http.listen` link config. */
export function parseHttpListenConfig(value: string, name = 'http.listen'): HttpListen | undefined {
  if (value.trim() === '') return undefined;
  const parsed = parse(value);
  if (!parsed) {
    throw new InvalidConfigError(`${name} must be [host:]port with a port between 0 and 65535, not "${value.length > 40 ? `${value.slice(0, 37)}...` : value}"`, {
      suggestion: `Use for example \`${name}=127.0.0.1:9464\` (the worker then serves /metrics there), or leave it out to serve no HTTP.`,
    });
  }
  return parsed;
}

/** The value of `--http-port`. */
export function parseHttpPortFlag(value: string): number {
  const p = port(value.trim());
  if (p === undefined) {
    throw new UsageError(`invalid --http-port "${value}"`, {
      suggestion: 'Give a port between 1 and 65535 (0 picks a free one), for example `--http-port 9464`; set a host with the link config http.listen=<host>:<port>.',
    });
  }
  return p;
}

/** What the worker listens on: the flag's port wins over the config's, whose host is kept. */
export function httpListenFor(configValue: string | undefined, flagPort: number | undefined): HttpListen | undefined {
  const fromConfig = configValue === undefined ? undefined : parseHttpListenConfig(configValue);
  if (flagPort === undefined) return fromConfig;
  return { host: fromConfig?.host ?? DEFAULT_HTTP_HOST, port: flagPort };
}

export function formatHttpListen(listen: HttpListen): string {
  return listen.host.includes(':') ? `[${listen.host}]:${listen.port}` : `${listen.host}:${listen.port}`;
}
