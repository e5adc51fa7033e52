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
import { Transcript } from './transcript.js';

async function main(): Promise<number> {
  const home = fs.mkdtempSync(path.join(os.tmpdir(), 'clink-demo-'));
  const clusters: KafkaCluster[] = [];
  const cleanup = async () => {
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
    const configFile = path.join(home, 'dr-link.config');
    fs.writeFileSync(
      configFile,
      [
        `bootstrap.servers=${source.saslBootstrap}`,
        'security.protocol=SASL_PLAINTEXT',
        'sasl.mechanism=PLAIN',
        'sasl.jaas.config=org.apache.kafka.common.security.plain.PlainLoginModule required username="alice" password="${env:DEMO_SOURCE_PASSWORD}";',
        'consumer.offset.sync.enable=true',
        'consumer.offset.group.filters={"groupFilters":[{"name":"*","patternType":"LITERAL","filterType":"INCLUDE"}]}',
        'consumer.offset.sync.ms=1000',
        '',
      ].join('\n'),
    );
    env.DEMO_SOURCE_PASSWORD = source.users?.alice.password ?? '';

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
    await t.clink(['link', 'describe', 'dr-link', '-o', 'json']);

    t.heading('3. Inspect and change link configs');
    await t.clink(['link', 'configuration', 'update', 'dr-link', '--config', 'consumer.offset.sync.ms=5000']);
    await t.clink(['link', 'configuration', 'list', 'dr-link']);

    t.heading('4. Mistakes get a clear error and change nothing');
    await t.clink(['link', 'create', 'dr-link2', '--source-bootstrap-server', source.bootstrap, '--config', 'consumer.offset.sync.enabel=true'], { expectExit: 2 });
    await t.clink(['link', 'describe', 'dr-lnk'], { expectExit: 4 });

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
