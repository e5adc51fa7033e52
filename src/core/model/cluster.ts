/**
 * A registered Kafka cluster: where to connect and with which client properties. The destination of
 * every link is a registered cluster. Client properties are kept as the user gave them (references
 * like ${env:NAME} stay unresolved) and are never printed unredacted.
 */
import { UsageError } from '../errors.js';

export interface ClusterRecord {
  name: string;
  bootstrapServers: string;
  /** Kafka's cluster id, recorded when the cluster was validated. */
  clusterId?: string;
  /** Client properties other than bootstrap.servers (security.protocol, sasl.*, ssl.*, …). */
  clientConfig: Record<string, string>;
  createdAt: string;
}

const NAME = /^[A-Za-z0-9][A-Za-z0-9._-]{0,127}$/;

/** Cluster and link names: letters, digits, `.`, `_`, `-`; start with a letter or digit; at most 128. */
export function assertValidName(kind: 'cluster' | 'cluster link', name: string): void {
  if (!NAME.test(name)) {
    throw new UsageError(`invalid ${kind} name "${name}"`, {
      suggestion: 'Use 1 to 128 letters, digits, ".", "_" or "-", starting with a letter or digit.',
    });
  }
}

/** `host:port[,host:port…]` with a numeric port in range. */
export function assertValidBootstrap(value: string, what = 'bootstrap server'): string[] {
  const servers = value
    .split(',')
    .map((s) => s.trim())
    .filter(Boolean);
  if (servers.length === 0) {
    throw new UsageError(`missing ${what}`, { suggestion: 'Give it as `host:port`, several separated by commas.' });
  }
  for (const server of servers) {
    const match = /^(\[[0-9a-fA-F:.]+\]|[^:\s[\]]+):(\d{1,5})$/.exec(server);
    const port = match ? Number(match[2]) : NaN;
    if (!match || port < 1 || port > 65535) {
      throw new UsageError(`invalid ${what} "${server}"`, {
        suggestion: 'Give it as `host:port` with a port between 1 and 65535, several separated by commas.',
      });
    }
  }
  return servers;
}
