/**
 * Formats a KRaft log directory. `StorageTool format` runs once per Kafka version to produce a
 * template (its bootstrap.checkpoint holds only feature levels: no cluster id, no ports, because
 * the quorum is static); every cluster then gets a copy plus its own meta.properties, which saves a
 * JVM start per cluster. Invariant: each formatted directory has a fresh cluster.id and directory.id,
 * and the cached template is complete or absent (built in a staging dir, renamed under a lock).
 * Security flavours use a second template formatted with `--add-scram` for every test user and
 * SCRAM mechanism: SCRAM credentials live in the bootstrap metadata, salted, and hold no cluster
 * id, so they are copied like the feature levels (its name carries a hash of the users).
 */
import { execFile } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync } from 'node:fs';
import { copyFile, mkdir, mkdtemp, rename, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { SASL_USERS, SCRAM_MECHANISMS, renderLog4j2Properties, renderServerProperties } from './config-files.js';
import { KafkaStartError } from './errors.js';
import { withLock } from './lock.js';
import { KAFKA_VERSION, paths } from './paths.js';
import { newKafkaUuid } from './ports.js';

const run = promisify(execFile);
const CHECKPOINT = 'bootstrap.checkpoint';

/** JVM flags for short-lived tool JVMs. */
export const TOOL_JVM_OPTIONS = ['-Xmx256m', '-XX:+UseSerialGC', '-XX:TieredStopAtLevel=1', '-XX:-UsePerfData'];

/** `--add-scram` arguments for every test user and mechanism. */
function scramArgs(): string[] {
  return SCRAM_MECHANISMS.flatMap((m) => Object.values(SASL_USERS).flatMap((u) => ['--add-scram', `${m}=[name=${u.username},password=${u.password}]`]));
}

async function formatTemplate(libsDir: string, templateDir: string, scram: boolean): Promise<void> {
  await mkdir(paths.cacheDir, { recursive: true });
  const work = await mkdtemp(join(paths.cacheDir, 'format-'));
  try {
    const dataDir = join(work, 'data');
    const config = join(work, 'server.properties');
    await writeFile(config, renderServerProperties({ flavour: 'plaintext', ports: { broker: 1, controller: 2 }, dataDir }));
    await writeFile(join(work, 'log4j2.properties'), renderLog4j2Properties());
    const args = [
      ...TOOL_JVM_OPTIONS,
      `-Dkafka.logs.dir=${join(work, 'logs')}`,
      `-Dlog4j2.configurationFile=${join(work, 'log4j2.properties')}`,
      '-cp', join(libsDir, '*'),
      'kafka.tools.StorageTool', 'format', '-t', newKafkaUuid(), '-c', config,
      ...(scram ? scramArgs() : []),
    ];
    try {
      await run('java', args, { timeout: 120_000 });
    } catch (error) {
      const { stdout = '', stderr = '' } = error as { stdout?: string; stderr?: string };
      throw new KafkaStartError(`kafka.tools.StorageTool format failed:\n${`${stdout}\n${stderr}`.trim()}`, { cause: error });
    }
    if (!existsSync(join(dataDir, CHECKPOINT))) throw new KafkaStartError(`StorageTool format wrote no ${CHECKPOINT} in ${dataDir}`);
    await rm(join(dataDir, 'meta.properties'));
    await rename(dataDir, templateDir);
  } finally {
    await rm(work, { recursive: true, force: true });
  }
}

async function ensureTemplate(libsDir: string, scram: boolean): Promise<string> {
  const suffix = scram ? `-scram-${createHash('sha256').update(scramArgs().join('\n')).digest('hex').slice(0, 8)}` : '';
  const name = `kraft-storage-${KAFKA_VERSION}${suffix}`;
  const templateDir = join(paths.cacheDir, name);
  if (existsSync(join(templateDir, CHECKPOINT))) return templateDir;
  await withLock(join(paths.locksDir, name), async () => {
    if (!existsSync(join(templateDir, CHECKPOINT))) await formatTemplate(libsDir, templateDir, scram);
  });
  return templateDir;
}

/**
 * Makes `dataDir` a formatted single-node (node.id=1) log directory of cluster `clusterId`; with
 * `scram`, the test users (SASL_USERS) get SCRAM-SHA-256 and SCRAM-SHA-512 credentials.
 */
export async function formatStorage(libsDir: string, dataDir: string, clusterId: string, options: { scram?: boolean } = {}): Promise<void> {
  const templateDir = await ensureTemplate(libsDir, options.scram === true);
  await mkdir(dataDir, { recursive: true });
  await copyFile(join(templateDir, CHECKPOINT), join(dataDir, CHECKPOINT));
  const meta = ['#', `#${new Date().toUTCString()}`, 'node.id=1', `directory.id=${newKafkaUuid()}`, 'version=1', `cluster.id=${clusterId}`, ''];
  await writeFile(join(dataDir, 'meta.properties'), meta.join('\n'));
}
