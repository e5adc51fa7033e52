/**
 * Writes records with the kafkajs producer (idempotent, acks=all), for the records
 * `mirror truncate-and-restore` sets aside. Invariants: the RecordWriterPort contract
 * (record-writer-port.ts); repeated header keys are all written, in their first-seen key order
 * (kafkajs groups values of one key together); errors become ClinkErrors naming the cluster.
 */
import type { IHeaders, Producer } from 'kafkajs';
import type { ClusterEndpoint } from '../core/ports.js';
import type { PartitionLogWriter, RecordToWrite, RecordWriterPort } from '../core/usecases/record-writer-port.js';
import { createKafka, describeSecurityOf } from './client.js';
import { mapKafkaError } from './map-error.js';

/** Records per produce request. */
const CHUNK = 500;

function headersOf(record: RecordToWrite): IHeaders {
  const out: Record<string, Buffer[]> = {};
  for (const h of record.headers) (out[h.key] ??= []).push(h.value as Buffer);
  return Object.fromEntries(Object.entries(out).map(([k, v]) => [k, v.length === 1 ? v[0]! : v])) as IHeaders;
}

class KafkaPartitionWriter implements PartitionLogWriter {
  constructor(
    private readonly producer: Producer,
    private readonly endpoint: ClusterEndpoint,
  ) {}

  async append(topic: string, partition: number, records: readonly RecordToWrite[]): Promise<void> {
    try {
      for (let i = 0; i < records.length; i += CHUNK) {
        await this.producer.send({
          topic,
          acks: -1,
          messages: records.slice(i, i + CHUNK).map((r) => ({ partition, key: r.key, value: r.value, headers: headersOf(r), timestamp: String(r.timestamp) })),
        });
      }
    } catch (error) {
      throw mapKafkaError(error, { label: this.endpoint.label, bootstrapServers: this.endpoint.bootstrapServers, security: describeSecurityOf(this.endpoint) });
    }
  }

  async close(): Promise<void> {
    await this.producer.disconnect().catch(() => {});
  }
}

export class KafkaRecordWriter implements RecordWriterPort {
  constructor(private readonly env: NodeJS.ProcessEnv) {}

  async open(endpoint: ClusterEndpoint): Promise<PartitionLogWriter> {
    const kafka = await createKafka(endpoint, this.env, { retries: 3 });
    const producer = kafka.producer({ idempotent: true, maxInFlightRequests: 1, allowAutoTopicCreation: false });
    try {
      await producer.connect();
    } catch (error) {
      throw mapKafkaError(error, { label: endpoint.label, bootstrapServers: endpoint.bootstrapServers, security: describeSecurityOf(endpoint) });
    }
    return new KafkaPartitionWriter(producer, endpoint);
  }
}
