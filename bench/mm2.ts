/**
 * MirrorMaker 2 as the bench runs it (the catch-up phase of bench/run.ts and the scale phase of
 * bench/scale.ts): dedicated mode, IdentityReplicationPolicy (same topic names on the destination),
 * heartbeats, checkpoints, group and ACL sync off, RF 1 for every internal topic, a 2 GiB heap as in
 * connect-mirror-maker.sh, its log in a file of the run's directory. Invariant: the process is tracked
 * (bench/processes.ts), so it never outlives the bench.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { track } from './processes.js';

export interface Mm2Options {
  /** Makes the cluster aliases unique per run (MM2 keeps state in internal topics named after them). */
  index: number | string;
  src: string;
  dst: string;
  /** Java regex of the source topics to mirror. */
  topics: string;
  tasks: number;
  /** The target producer's compression.type. */
  codec: string;
}

/** Writes mm2.properties and log4j2.properties into `dir` and starts MirrorMaker 2; its log is `dir`/mm2.log. */
export function startMm2(libs: string, dir: string, o: Mm2Options): ChildProcess {
  const [a, b] = [`S${o.index}`, `D${o.index}`];
  const props = [
    `clusters = ${a}, ${b}`, `${a}.bootstrap.servers = ${o.src}`, `${b}.bootstrap.servers = ${o.dst}`,
    `${a}->${b}.enabled = true`, `${a}->${b}.topics = ${o.topics}`, `${b}->${a}.enabled = false`,
    'emit.heartbeats.enabled = false', 'emit.checkpoints.enabled = false', 'sync.group.offsets.enabled = false', 'sync.topic.acls.enabled = false',
    'replication.policy.class = org.apache.kafka.connect.mirror.IdentityReplicationPolicy', `tasks.max = ${o.tasks}`,
    'refresh.topics.interval.seconds = 5', 'offset-syncs.topic.location = target',
    `${b}.producer.compression.type = ${o.codec}`,
    ...['replication.factor', 'checkpoints.topic.replication.factor', 'heartbeats.topic.replication.factor', 'offset-syncs.topic.replication.factor',
      'offset.storage.replication.factor', 'status.storage.replication.factor', 'config.storage.replication.factor'].map((k) => `${k} = 1`),
  ];
  writeFileSync(join(dir, 'mm2.properties'), `${props.join('\n')}\n`);
  writeFileSync(join(dir, 'log4j2.properties'), [
    'rootLogger.level = INFO', 'rootLogger.appenderRef.f.ref = F', 'appender.f.type = File', 'appender.f.name = F',
    `appender.f.fileName = ${join(dir, 'mm2.log')}`, 'appender.f.layout.type = PatternLayout', 'appender.f.layout.pattern = [%d] %p %m (%c)%n', '',
  ].join('\n'));
  return track(spawn('java', [
    '-Xms256m', '-Xmx2g', '-XX:+UseG1GC', '-XX:MaxGCPauseMillis=20', '-Djava.awt.headless=true', `-Dlog4j2.configurationFile=${join(dir, 'log4j2.properties')}`,
    '-cp', `${libs}/*`, 'org.apache.kafka.connect.mirror.MirrorMaker', join(dir, 'mm2.properties'),
  ], { stdio: 'ignore' }));
}

/** SIGKILLs MM2 and waits for its exit (its graceful shutdown takes seconds and measures nothing; its log is flushed line by line). */
export async function killMm2(jvm: ChildProcess): Promise<void> {
  if (jvm.exitCode !== null || jvm.signalCode !== null) return;
  const exited = new Promise((r) => jvm.once('exit', r));
  jvm.kill('SIGKILL');
  await exited;
}
