/**
 * `npm run clusters -- <up|down|status|jars>`: a source and a destination cluster (sasl flavour,
 * or `up --flavour secure|ssl|mtls|sasl-ssl|scram` for TLS and SCRAM listeners, sharing one test
 * PKI in .clink-clusters/pki) for trying clink by hand. They run detached and survive this script; their description lives in
 * .clink-clusters/state.json. Invariant: state.json lists exactly the clusters `up` started and
 * `down` has not yet stopped; `down` only signals pids whose command line still names their dir.
 */
import { existsSync } from 'node:fs';
import { mkdir, readFile, rename, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { isClinkError } from '../core/errors.js';
import { KAFKA_FLAVOURS, type KafkaFlavour } from './config-files.js';
import { createTestPki } from './test-pki.js';
import { startKafkaCluster, stopKafkaProcess, type KafkaClusterInfo } from './cluster.js';
import { ensureKafkaJars } from './jars.js';
import { paths } from './paths.js';
import { isSameJvm } from './pid-registry.js';

const NAMES = ['source', 'destination'] as const;
type ClusterRecord = KafkaClusterInfo & { startedAt: string };

async function readState(): Promise<ClusterRecord[]> {
  if (!existsSync(paths.clustersStateFile)) return [];
  const parsed = JSON.parse(await readFile(paths.clustersStateFile, 'utf8')) as { clusters?: ClusterRecord[] };
  return parsed.clusters ?? [];
}

async function writeState(clusters: ClusterRecord[]): Promise<void> {
  await mkdir(paths.stateDir, { recursive: true });
  const staging = `${paths.clustersStateFile}.${process.pid}.tmp`;
  await writeFile(staging, `${JSON.stringify({ clusters }, null, 2)}\n`);
  await rename(staging, paths.clustersStateFile);
}

const alive = (c: ClusterRecord): boolean => isSameJvm({ pid: c.pid, dir: c.dir });

function describe(c: ClusterRecord): string {
  const lines = [`${c.name}: ${alive(c) ? 'running' : 'NOT RUNNING'} (pid ${c.pid}, cluster id ${c.clusterId})`];
  lines.push(`  plaintext  ${c.bootstrap}  (no authentication, super user)`);
  if (c.saslBootstrap) {
    const users = Object.values(c.users ?? {}).map((u) => `${u.username}/${u.password}${u.superUser ? ' (super user)' : ''}`);
    lines.push(`  sasl/plain ${c.saslBootstrap}  users ${users.join(', ')}`);
  }
  for (const [listener, address] of Object.entries(c.listeners ?? {})) {
    if (listener !== 'SASL_PLAINTEXT' || !c.saslBootstrap) lines.push(`  ${listener.toLowerCase().padEnd(10)} ${address}`);
  }
  if (c.pki) lines.push(`  test CA    ${c.pki.caPem} (client stores in ${c.pki.dir})`);
  lines.push(`  log        ${c.logFile}`);
  return lines.join('\n');
}

function envHint(clusters: ClusterRecord[]): string {
  const vars = clusters.flatMap((c) => {
    const prefix = `CLINK_TEST_${c.name.toUpperCase()}`;
    return [`${prefix}_BOOTSTRAP=${c.bootstrap}`, ...(c.saslBootstrap ? [`${prefix}_SASL_BOOTSTRAP=${c.saslBootstrap}`] : [])];
  });
  return `\nRun the tests against these clusters with:\n  ${vars.join(' \\\n  ')} npm test\n`;
}

async function down(quiet = false): Promise<void> {
  const clusters = await readState();
  await Promise.all(
    clusters.map(async (c) => {
      if (alive(c)) await stopKafkaProcess({ pid: c.pid, dir: c.dir });
      else await rm(c.dir, { recursive: true, force: true });
      if (!quiet) console.log(`stopped ${c.name} (pid ${c.pid})`);
    }),
  );
  await rm(paths.clustersStateFile, { force: true });
  if (clusters.length === 0 && !quiet) console.log('no clusters were running');
}

async function up(flavour: KafkaFlavour = 'sasl'): Promise<void> {
  const existing = await readState();
  if (existing.length > 0 && existing.every(alive)) {
    console.log(`already running:\n\n${existing.map(describe).join('\n\n')}`);
    return;
  }
  await down(true);
  await ensureKafkaJars();
  const started = Date.now();
  const pkiDir = join(paths.stateDir, 'pki');
  await rm(pkiDir, { recursive: true, force: true });
  const pki = flavour === 'plaintext' || flavour === 'sasl' ? undefined : await createTestPki(pkiDir);
  const results = await Promise.allSettled(
    NAMES.map(async (name) => {
      const dir = join(paths.stateDir, name);
      await rm(dir, { recursive: true, force: true });
      return startKafkaCluster({ name, flavour, dir, keepAlive: true, ...(pki ? { pki } : {}) });
    }),
  );
  const clusters = results.flatMap((r) => (r.status === 'fulfilled' ? [r.value] : []));
  const failure = results.find((r): r is PromiseRejectedResult => r.status === 'rejected');
  if (failure) {
    await Promise.all(clusters.map((c) => c.stop()));
    throw failure.reason;
  }
  const records = clusters.map(({ stop: _stop, ...info }) => ({ ...info, startedAt: new Date().toISOString() }));
  await writeState(records);
  console.log(`started in ${((Date.now() - started) / 1000).toFixed(1)} s\n\n${records.map(describe).join('\n\n')}`);
  console.log(envHint(records));
  console.log('Stop them with `npm run clusters -- down`.');
}

async function status(): Promise<void> {
  const clusters = await readState();
  if (clusters.length === 0) {
    console.log('no clusters (start them with `npm run clusters -- up`)');
    return;
  }
  console.log(clusters.map(describe).join('\n\n'));
}

const commands: Record<string, (flavour?: KafkaFlavour) => Promise<void>> = {
  up,
  down: () => down(),
  status,
  jars: async () => console.log(await ensureKafkaJars()),
};

async function main(argv: string[]): Promise<number> {
  const command = commands[argv[0] ?? ''];
  const flavour = argv[1] === '--flavour' && argv[0] === 'up' ? argv[2] : undefined;
  const known = flavour === undefined || (KAFKA_FLAVOURS as readonly string[]).includes(flavour);
  if (!command || !known || argv.length > (flavour === undefined ? 1 : 3)) {
    console.error(`Usage: npm run clusters -- <up [--flavour ${KAFKA_FLAVOURS.join('|')}]|down|status|jars>`);
    return 2;
  }
  try {
    await command(flavour as KafkaFlavour | undefined);
    return 0;
  } catch (error) {
    const message = error instanceof Error ? error.message : String(error);
    console.error(`Error: ${message}`);
    if (isClinkError(error) && error.suggestion) console.error(`\nSuggestions:\n    ${error.suggestion}`);
    return 1;
  }
}

process.exitCode = await main(process.argv.slice(2));
