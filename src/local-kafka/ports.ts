/**
 * Free loopback ports and KRaft cluster ids. Invariant: ports returned by one call are distinct;
 * they are free at the time of the call only (the caller retries on a bind collision); cluster ids
 * have the format of Kafka's Uuid.toString() and never start with '-', as `StorageTool random-uuid`.
 */
import { randomBytes } from 'node:crypto';
import { createServer, type AddressInfo } from 'node:net';

function onePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.unref();
    server.on('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as AddressInfo;
      server.close(() => resolve(port));
    });
  });
}

export async function freePorts(count: number): Promise<number[]> {
  const ports = new Set<number>();
  while (ports.size < count) ports.add(await onePort());
  return [...ports];
}

export function newKafkaUuid(): string {
  for (;;) {
    const id = randomBytes(16).toString('base64url');
    if (!id.startsWith('-')) return id;
  }
}
