/**
 * `npm run demo`: the clink walkthrough on an embedded default — two local Kafka clusters (a SASL
 * source and a destination) started from the Maven jars, then the commands of Confluent's
 * disaster-recovery tutorial that clink has so far, printed as a transcript. The clusters and the
 * demo's config directory are always removed at the end, also on failure or Ctrl-C.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { startKafkaCluster, type KafkaCluster } from '../local-kafka/cluster.js';
import kafkajs from 'kafkajs';
import { Transcript } from './transcript.js';
import { waitFor } from '../util/wait-for.js';

const { Kafka, logLevel } = kafkajs;
type Kafka = InstanceType<typeof Kafka>;

async function produce(kafka: Kafka, values: number[]): Promise<void> {
  const producer = kafka.producer();
  await producer.connect();
  await producer.send({ topic: 'dr-topic', messages: values.map((v) => ({ value: String(v) })) });
  await producer.disconnect();
}

/** Reads `count` records as cli-consumer, committing after each, like kafka-console-consumer --max-messages. */
async function consume(kafka: Kafka, count: number): Promise<string[]> {
  const consumer = kafka.consumer({ groupId: 'cli-consumer', maxWaitTimeInMs: 100, sessionTimeout: 6000, heartbeatInterval: 500 });
  const seen: string[] = [];
  await consumer.connect();
  await consumer.subscribe({ topic: 'dr-topic', fromBeginning: true });
  await consumer.run({
    autoCommit: false,
    eachMessage: async ({ message, partition }) => {
      if (seen.length >= count) return;
      seen.push(String(message.value));
      await consumer.commitOffsets([{ topic: 'dr-topic', partition, offset: String(Number(message.offset) + 1) }]);
    },
  });
  await waitFor(() => seen.length >= count || undefined, { timeoutMs: 60_000, message: `cli-consumer read only ${seen.length} records` });
  await consumer.disconnect();
  return seen;
}

async function main(): Promise<number> {
  const home = fs.mkdtempSync(path.join(os.tmpdir(), 'clink-demo-'));
  const clusters: KafkaCluster[] = [];
  let transcript: Transcript | undefined;
  const cleanup = async () => {
    // The link's worker is a detached process: stop it before its clusters go away.
    await transcript?.quiet(['worker', 'stop', 'dr-link']).catch(() => undefined);
    await transcript?.quiet(['worker', 'stop', 'orders-link']).catch(() => undefined);
    await Promise.allSettled(clusters.map((c) => c.stop()));
    fs.rmSync(home, { recursive: true, force: true });
  };
  const onSignal = () => void cleanup().finally(() => process.exit(130));
  process.once('SIGINT', onSignal);
  process.once('SIGTERM', onSignal);

  try {
    process.stdout.write('# clink demo: a disaster-recovery cluster link\n\nStarting two local Kafka clusters (Apache Kafka 4.1.1)…\n');
    const started = Date.now();
    const [source, destination] = await Promise.all([
      startKafkaCluster({ name: 'demo-source', flavour: 'sasl' }),
      startKafkaCluster({ name: 'demo-destination', flavour: 'plaintext' }),
    ]);
    clusters.push(source, destination);
    process.stdout.write(
      `source cluster ${source.clusterId} at ${source.saslBootstrap} (SASL/PLAIN), ` +
        `destination cluster ${destination.clusterId} at ${destination.bootstrap}, up in ${((Date.now() - started) / 1000).toFixed(1)} s\n`,
    );

    const env: NodeJS.ProcessEnv = { ...process.env, CLINK_CONFIG_DIR: path.join(home, 'config'), CLINK_STATE_DIR: path.join(home, 'state'), NO_COLOR: '1', CLINK_CLUSTER: '' };
    const t = new Transcript(env);
    transcript = t;
    const configFile = path.join(home, 'dr-link.config');
    fs.writeFileSync(
      configFile,
      [
        `bootstrap.servers=${source.saslBootstrap}`,
        'security.protocol=SASL_PLAINTEXT',
        'sasl.mechanism=PLAIN',
        'sasl.jaas.config=org.apache.kafka.common.security.plain.PlainLoginModule required username="admin" password="${env:DEMO_SOURCE_PASSWORD}";',
        'consumer.offset.sync.enable=true',
        'consumer.offset.group.filters={"groupFilters":[{"name":"*","patternType":"LITERAL","filterType":"INCLUDE"}]}',
        'consumer.offset.sync.ms=1000',
        'http.listen=127.0.0.1:0',
        '',
      ].join('\n'),
    );
    env.DEMO_SOURCE_PASSWORD = source.users?.admin.password ?? '';

    t.heading('1. Register the destination (DR) cluster');
    await t.clink(['cluster', 'add', 'dr', '--bootstrap-server', destination.bootstrap]);
    await t.clink(['cluster', 'list']);

    t.heading('2. Create the cluster link from the source cluster');
    t.note('dr-link.config (the password comes from $DEMO_SOURCE_PASSWORD, so it is never stored):');
    t.note(fs.readFileSync(configFile, 'utf8').replace(/^/gm, '    '));
    await t.clink(['link', 'create', 'dr-link', '--config-file', configFile, '--dry-run'], { display: 'link create dr-link --config-file dr-link.config --dry-run' });
    await t.clink(['link', 'create', 'dr-link', '--config-file', configFile], { display: 'link create dr-link --config-file dr-link.config' });
    await t.clink(['link', 'list']);
    await t.clink(['link', 'describe', 'dr-link']);

    t.heading('3. Mirror dr-topic (1 partition) over the link');
    const kafka = (cluster: KafkaCluster) => new Kafka({ clientId: 'clink-demo', brokers: [cluster.bootstrap], logLevel: logLevel.NOTHING });
    const sourceAdmin = kafka(source).admin();
    await sourceAdmin.connect();
    await sourceAdmin.createTopics({ waitForLeaders: true, topics: [{ topic: 'dr-topic', numPartitions: 1, replicationFactor: 1 }] });
    await sourceAdmin.disconnect();
    await t.clink(['mirror', 'create', 'dr-topic', '--link', 'dr-link']);

    t.heading('4. Produce 1-5 on the source, consume them as cli-consumer, produce 6-10');
    await produce(kafka(source), [1, 2, 3, 4, 5]);
    t.note(`consumed on the source as cli-consumer: ${(await consume(kafka(source), 5)).join(' ')}`);
    await produce(kafka(source), [6, 7, 8, 9, 10]);
    await waitFor(async () => {
      const r = await t.quiet(['mirror', 'describe', 'dr-topic', '--link', 'dr-link', '-o', 'json']);
      const rows = JSON.parse(r.stdout) as Array<{ partition_mirror_lag: number; mirror_status: string }>;
      return rows.every((row) => row.partition_mirror_lag === 0 && row.mirror_status === 'ACTIVE') || undefined;
    }, { timeoutMs: 60_000, message: 'the mirror did not catch up' });
    await waitFor(async () => {
      const r = await t.quiet(['link', 'describe', 'dr-link', '-o', 'json']);
      return (JSON.parse(r.stdout) as { consumer_offset_sync_groups?: number }).consumer_offset_sync_groups ? true : undefined;
    }, { timeoutMs: 60_000, message: 'consumer offsets were not synced' });
    await t.clink(['mirror', 'list']);
    await t.clink(['mirror', 'describe', 'dr-topic', '--link', 'dr-link']);
    await t.clink(['mirror', 'verify', 'dr-topic', '--link', 'dr-link']);
    await t.clink(['link', 'describe', 'dr-link']);

    t.heading('4b. Monitor the link: the worker\'s REST v3 and Prometheus endpoint (http.listen)');
    await t.clink(['worker', 'status', 'dr-link']);
    await t.clink(['link', 'task', 'list', 'dr-link']);
    const workers = JSON.parse((await t.quiet(['worker', 'status', 'dr-link', '-o', 'json'])).stdout) as Array<{ http_address?: string | null }>;
    const address = workers[0]?.http_address;
    if (!address) throw new Error('the worker reports no HTTP address although the link sets http.listen');
    const base = address.startsWith('http') ? address : `http://${address}`;
    const rest = `/kafka/v3/clusters/${destination.clusterId}/links/dr-link/mirrors/dr-topic`;
    const mirror = (await (await fetch(base + rest)).json()) as { mirror_status: string; mirror_lags: unknown[] };
    t.note(`$ curl -s ${base}${rest}`);
    t.note(`  mirror_status: ${mirror.mirror_status}, mirror_lags: ${JSON.stringify(mirror.mirror_lags)}`);
    const metrics = await (await fetch(`${base}/metrics`)).text();
    t.note(`$ curl -s ${base}/metrics | grep max_lag`);
    t.note(metrics.split('\n').filter((line) => /^clink_(mirror_topic|link)_max_lag_records/.test(line)).map((line) => `  ${line}`).join('\n'));

    t.heading('5. Disaster: fail over to the DR cluster');
    await t.clink(['mirror', 'failover', 'dr-topic', '--link', 'dr-link', '--dry-run']);
    await t.clink(['mirror', 'failover', 'dr-topic', '--link', 'dr-link']);
    await t.clink(['mirror', 'describe', 'dr-topic', '--link', 'dr-link']);

    t.heading('6. Produce 11-15 on the DR cluster; cli-consumer resumes there');
    await produce(kafka(destination), [11, 12, 13, 14, 15]);
    t.note(`consumed on the DR cluster as cli-consumer: ${(await consume(kafka(destination), 10)).join(' ')}`);

    t.heading('7. Mistakes get a clear error, a documented exit code, and change nothing');
    await t.clink(['mirror', 'failover', 'dr-topic', '--link', 'dr-link'], { expectExit: 5 });
    await t.clink(['link', 'describe', 'dr-lnk'], { expectExit: 4 });

    t.heading('8. Declarative: apply a ClusterLink CR (Confluent for Kubernetes, seed 004)');
    const secrets = path.join(home, 'secrets');
    fs.mkdirSync(path.join(secrets, 'src-jaas'), { recursive: true, mode: 0o700 });
    fs.writeFileSync(path.join(secrets, 'src-jaas', 'plain-jaas.conf'), `org.apache.kafka.common.security.plain.PlainLoginModule required username="admin" password="${env.DEMO_SOURCE_PASSWORD}";`, { mode: 0o600 });
    const crFile = path.join(home, 'clusterlink.yaml');
    const cr = (state: string) => `apiVersion: platform.confluent.io/v1beta1\nkind: ClusterLink\nmetadata:\n  name: orders-link\n  namespace: destination\nspec:\n  destinationKafkaCluster:\n    name: dr\n  sourceKafkaCluster:\n    bootstrapEndpoint: ${source.saslBootstrap}\n    authentication:\n      type: plain\n      jaasConfig:\n        secretRef: src-jaas\n  mirrorTopics:\n    - name: orders\n      state: ${state}\n`;
    fs.writeFileSync(crFile, cr('ACTIVE'));
    t.note(`clusterlink.yaml (the secret src-jaas is mounted at secrets/src-jaas/plain-jaas.conf):\n${cr('ACTIVE').replace(/^/gm, '    ')}`);
    const ordersAdmin = kafka(source).admin();
    await ordersAdmin.connect();
    await ordersAdmin.createTopics({ waitForLeaders: true, topics: [{ topic: 'orders', numPartitions: 1, replicationFactor: 1 }] });
    await ordersAdmin.disconnect();
    const applyArgs = ['apply', '-f', crFile, '--secrets-dir', secrets];
    const applyShown = 'apply -f clusterlink.yaml --secrets-dir secrets';
    await t.clink([...applyArgs, '--dry-run'], { display: `${applyShown} --dry-run` });
    await t.clink(applyArgs, { display: applyShown });
    await t.clink(applyArgs, { display: applyShown });
    fs.writeFileSync(crFile, cr('FAILOVER'));
    await t.clink(applyArgs, { display: `${applyShown}    # after setting state: FAILOVER` });
    await t.clink(['link', 'describe', 'orders-link', '-o', 'yaml', '--as-spec']);

    process.stdout.write('\nDemo finished: stopping the local clusters.\n');
    return 0;
  } catch (error) {
    process.stderr.write(`\nError: the demo failed: ${error instanceof Error ? error.message : String(error)}\n`);
    return 1;
  } finally {
    await cleanup();
  }
}

main().then((code) => process.exit(code));
