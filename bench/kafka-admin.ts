/** The benchmarks' one way to run a kafkajs admin call against a bootstrap address, connected and closed around it. */
import { Kafka, logLevel } from 'kafkajs';

export type BenchAdmin = ReturnType<Kafka['admin']>;

export async function admin<T>(bootstrap: string, fn: (a: BenchAdmin) => Promise<T>): Promise<T> {
  const a = new Kafka({ brokers: [bootstrap], logLevel: logLevel.NOTHING }).admin();
  await a.connect();
  try {
    return await fn(a);
  } finally {
    await a.disconnect();
  }
}
