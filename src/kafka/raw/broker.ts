/**
 * One broker as the raw layer talks to it: versioned, timed requests over kafkajs's authenticated
 * connections (one socket for Fetch, one for everything else, per kafkajs ConnectionPool).
 * Invariants: a request is only sent at a version inside the range the broker advertised; each socket
 * is opened by at most one connect at a time (kafkajs alone would open, and leak, one per concurrent
 * caller); requests are handed to kafkajs, which writes them in arrival order, only once connected.
 */
import { ClinkError, ErrorCode } from '../../core/errors.js';
import { wrapKafkaJsError } from './errors.js';
import type {
  ApiVersionRange,
  KBroker,
  KConnection,
  KConnectionPool,
  ProtocolRequest,
  ProtocolResponse,
} from './kafkajs-internals.js';

const FETCH_API_KEY = 1;
const connecting = new WeakMap<KConnection, Promise<boolean>>();

/** Connects a pool's socket at most once at a time (kafkajs would open one socket per concurrent caller). */
async function connectOnce(pool: KConnectionPool, index: number): Promise<void> {
  const connection = pool.pool[index];
  if (connection === undefined || connection.isConnected()) return;
  let pending = connecting.get(connection);
  if (pending === undefined) {
    pending = connection.connect().finally(() => connecting.delete(connection));
    connecting.set(connection, pending);
  }
  await pending;
}

/** One broker as the raw layer talks to it: versioned, timed requests over kafkajs's connections. */
export class RawBroker {
  constructor(
    private readonly broker: KBroker,
    private readonly requestTimeout: number,
    private readonly release?: () => Promise<void>,
  ) {}

  /** True for a connection opened with RawCluster.openDedicated. */
  get dedicated(): boolean {
    return this.release !== undefined;
  }

  /** Closes a dedicated connection; a no-op for the cluster's shared connections. */
  async close(): Promise<void> {
    await this.release?.();
  }

  get nodeId(): number {
    return this.broker.nodeId ?? -1;
  }

  get address(): string {
    return `${this.broker.connectionPool.host}:${this.broker.connectionPool.port}`;
  }

  /** The version range the broker advertised for an API key, if any. */
  versionRange(apiKey: number): ApiVersionRange | undefined {
    return this.broker.versions?.[apiKey];
  }

  /** The highest version in [lowest, highest] the broker accepts; throws when there is none. */
  negotiateVersion(apiKey: number, apiName: string, lowest: number, highest: number): number {
    const range = this.versionRange(apiKey);
    const version = range === undefined ? -1 : Math.min(highest, range.maxVersion);
    if (range === undefined || version < lowest || version < range.minVersion) {
      throw new ClinkError(ErrorCode.FAILURE, `broker ${this.address} supports no ${apiName} version in ${lowest}-${highest}`, {
        suggestion: 'clink needs Apache Kafka 0.11 or later (message format v2) on both clusters',
        context: { apiKey, advertised: range },
      });
    }
    return version;
  }

  /**
   * Sends one request; `extraWaitMs` is broker-side waiting added to the request timeout. `onDispatch`
   * runs right before the request is handed to kafkajs, which writes requests in the order it gets them.
   */
  async send<T>(request: ProtocolRequest, response: ProtocolResponse<T>, extraWaitMs = 0, onDispatch?: () => void): Promise<T> {
    try {
      await connectOnce(this.broker.connectionPool, request.apiKey === FETCH_API_KEY ? 1 : 0);
      onDispatch?.();
      return await this.broker.connectionPool.send({
        request,
        response,
        requestTimeout: this.requestTimeout + extraWaitMs,
        logResponseError: false,
      });
    } catch (error) {
      throw wrapKafkaJsError(error, `${request.apiName} to broker ${this.address}`, { broker: this.address });
    }
  }
}
