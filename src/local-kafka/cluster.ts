/**
 * Starts and stops single-node KRaft clusters (one JVM each) for tests, the demo and benchmarks.
 * Invariants: startKafkaCluster resolves only once the broker logged "Kafka Server started" (it is
 * unfenced and its listeners accept connections), and otherwise rejects with the log tails after
 * killing its JVM and deleting its directory; a cluster started without `keepAlive` never outlives
 * this process (killed by stop(), by killAllClustersSync() from signal handlers, on 'exit', or by
 * the next run's reapOrphans()); stop() is idempotent and leaves neither process nor directory.
 */
import { rmSync } from 'node:fs';
import { mkdir, mkdtemp, readdir, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { waitFor } from '../util/wait-for.js';
import { planClassDataSharing, type ClassDataPlan } from './class-data.js';
import {
  SASL_USERS, renderLog4j2Properties, renderServerProperties,
  type BrokerConfigOverrides, type KafkaFlavour, type ListenerPorts, type SaslUsers,
} from './config-files.js';
import { FLAVOUR_LISTENERS, flavourHasScram, flavourNeedsTls, type BrokerTlsFiles, type SecureListener } from './config-files.js';
import { TEST_CLIENT_DN, createTestPki, type TestPki } from './test-pki.js';
import { KafkaStartError } from './errors.js';
import { ensureKafkaJars } from './jars.js';
import { spawnKafkaJvm, type KafkaJvm } from './jvm.js';
import { createLogScanner, readTail, sizeOf } from './log-tail.js';
import { forgetPid, reapOrphans, recordPid } from './pid-registry.js';
import { freePorts, newKafkaUuid } from './ports.js';
import { signalProcess, terminateProcess } from './processes.js';
import { formatStorage } from './storage.js';
import { verifyJava, type JavaInfo } from './tools.js';

/** Fast JVM start for functional tests (C1 only, serial GC, small heap); benchmarks pass their own. */
export const FUNCTIONAL_TEST_JVM_OPTIONS = [
  '-Xms128m', '-Xmx512m', '-XX:+UseSerialGC', '-XX:TieredStopAtLevel=1', '-XX:-UsePerfData', '-Djava.awt.headless=true',
];
const STARTED_MESSAGE = 'Kafka Server started';
const BIND_FAILURE = /BindException|Address already in use/;

export interface StartKafkaClusterOptions {
  name: string;
  /** Default 'plaintext'. */
  flavour?: KafkaFlavour;
  /** Cluster directory (config, data, logs); must be absent or empty. Default: a new dir in os.tmpdir(). */
  dir?: string;
  /** Let the JVM outlive this process (`npm run clusters -- up`). Default false. */
  keepAlive?: boolean;
  /** Replaces FUNCTIONAL_TEST_JVM_OPTIONS (heap, GC, …) and turns off the class-data archive. */
  jvmOptions?: string[];
  brokerConfig?: BrokerConfigOverrides;
  /** Default 120 s. */
  startTimeoutMs?: number;
  /** Attempts with fresh ports when a port turns out to be taken. Default 3. */
  bindAttempts?: number;
  libsDir?: string;
  /** JVM options added to the defaults (system properties such as Kafka's OAuth allowed URLs). */
  extraJvmOptions?: string[];
  /** TLS material of the security flavours; default: a new test PKI in <dir>/pki (gone with the cluster). */
  pki?: TestPki;
}

export interface KafkaClusterInfo {
  name: string;
  clusterId: string;
  flavour: KafkaFlavour;
  /** PLAINTEXT listener, host:port; anonymous clients are super users. */
  bootstrap: string;
  /** SASL_PLAINTEXT/PLAIN listener (sasl flavour only). */
  saslBootstrap?: string;
  users?: SaslUsers;
  /** host:port of each listener a security flavour adds (TLS listeners advertise `localhost`). */
  listeners?: Partial<Record<SecureListener, string>>;
  /** The PKI whose CA signed the broker certificates (security flavours with TLS). */
  pki?: TestPki;
  pid: number;
  dir: string;
  logFile: string;
}

/**
 * A started cluster. Fault injection for tests: `kill` ends the broker JVM (SIGKILL by default) but keeps
 * its directory; `restart` boots it again on the same data dir and ports (after a SIGTERM if it still
 * runs) and resolves once it is started again (`pid` then names the new JVM); `freeze`/`thaw` send
 * SIGSTOP/SIGCONT. `stop` ends the JVM, whichever it is, and deletes the directory.
 */
export interface KafkaCluster extends KafkaClusterInfo {
  stop(): Promise<void>;
  kill(signal?: 'SIGKILL' | 'SIGTERM'): Promise<void>;
  restart(): Promise<void>;
  freeze(): void;
  thaw(): void;
}

/** JVMs of this process that must not outlive it. */
const owned = new Map<number, { dir: string; jvm: KafkaJvm }>();
let javaChecked: Promise<JavaInfo> | undefined;
let reaped = false;
let exitHookInstalled = false;

/** Synchronous last resort for signal and exit handlers: SIGKILL every owned JVM, delete its dir. */
export function killAllClustersSync(): void {
  for (const [pid, { dir, jvm }] of owned) {
    if (jvm.exitStatus() === undefined) signalProcess(pid, 'SIGKILL');
    rmSync(dir, { recursive: true, force: true });
    forgetPid(pid);
  }
  owned.clear();
}

/** Stops a cluster JVM by pid (also one started by another process) and removes its directory. */
export async function stopKafkaProcess(target: { pid: number; dir: string }, graceMs = 5000): Promise<'terminated' | 'killed'> {
  const how = await terminateProcess(target.pid, graceMs);
  owned.delete(target.pid);
  forgetPid(target.pid);
  await rm(target.dir, { recursive: true, force: true });
  return how;
}

async function stopJvm(jvm: KafkaJvm, dir: string, classData: ClassDataPlan): Promise<void> {
  if (jvm.exitStatus() !== undefined) {
    owned.delete(jvm.pid);
    forgetPid(jvm.pid);
    await rm(dir, { recursive: true, force: true });
    return;
  }
  // A JVM dumping its class-data archive needs longer to exit; a killed dump is never published.
  const graceMs = classData.dumps ? 30_000 : 5000;
  if ((await stopKafkaProcess({ pid: jvm.pid, dir }, graceMs)) === 'terminated') await classData.publish();
}

async function writeClusterFiles(dir: string, flavour: KafkaFlavour, ports: ListenerPorts, overrides?: BrokerConfigOverrides, tls?: BrokerTlsFiles): Promise<void> {
  await mkdir(join(dir, 'logs'), { recursive: true });
  const dataDir = join(dir, 'data');
  await writeFile(join(dir, 'server.properties'), renderServerProperties({ flavour, ports, dataDir, overrides, ...(tls ? { tls } : {}) }));
  await writeFile(join(dir, 'log4j2.properties'), renderLog4j2Properties());
}

async function startupFailure(name: string, dir: string, reason: string): Promise<KafkaStartError> {
  const serverLog = await readTail(join(dir, 'logs', 'server.log'), 40);
  const stderr = await readTail(join(dir, 'logs', 'stderr.log'), 40);
  const message = [
    `kafka cluster "${name}" ${reason}`,
    '--- server.log (last 40 lines) ---', serverLog || '(empty)',
    '--- stderr (last 40 lines) ---', stderr || '(empty)',
  ].join('\n');
  return new KafkaStartError(message, { context: { bindCollision: BIND_FAILURE.test(serverLog + stderr) } });
}

interface Attempt { dir: string; ports: ListenerPorts; libsDir: string; java: JavaInfo }

/** Spawns the broker JVM on an existing cluster dir and waits for its "started" line (written after `logFrom`). */
async function boot(options: StartKafkaClusterOptions, dir: string, libsDir: string, jvmOptions: string[]): Promise<KafkaJvm> {
  const logFile = join(dir, 'logs', 'server.log');
  const started = createLogScanner(logFile, STARTED_MESSAGE, await sizeOf(logFile));
  const jvm = await spawnKafkaJvm({ name: options.name, libsDir, dir, jvmOptions });
  if (!options.keepAlive) {
    owned.set(jvm.pid, { dir, jvm });
    if (!exitHookInstalled) process.once('exit', killAllClustersSync);
    exitHookInstalled = true;
  }
  recordPid({ pid: jvm.pid, name: options.name, dir, ownerPid: options.keepAlive ? null : process.pid });
  const timeoutMs = options.startTimeoutMs ?? 120_000;
  try {
    await waitFor(
      async () => {
        const status = jvm.exitStatus();
        if (status !== undefined) throw new Error(`exited during startup (${status})`);
        return started();
      },
      { timeoutMs, intervalMs: 100, message: `not ready after ${timeoutMs / 1000} s` },
    );
    return jvm;
  } catch (error) {
    const failure = await startupFailure(options.name, dir, error instanceof Error ? error.message : String(error));
    if (jvm.exitStatus() === undefined) signalProcess(jvm.pid, 'SIGKILL');
    await waitFor(() => jvm.exitStatus() !== undefined, { timeoutMs: 10_000, intervalMs: 20, message: 'the broker JVM did not exit' }).catch(() => undefined);
    owned.delete(jvm.pid);
    forgetPid(jvm.pid);
    throw failure;
  }
}

async function launch(options: StartKafkaClusterOptions, { dir, ports, libsDir, java }: Attempt): Promise<KafkaCluster> {
  const flavour = options.flavour ?? 'plaintext';
  const clusterId = newKafkaUuid();
  const pki = flavourNeedsTls(flavour) ? (options.pki ?? (await createTestPki(join(dir, 'pki')))) : undefined;
  await writeClusterFiles(dir, flavour, ports, options.brokerConfig, pki && brokerTlsFiles(pki));
  await formatStorage(libsDir, join(dir, 'data'), clusterId, { scram: flavourHasScram(flavour) });
  let classData = options.jvmOptions
    ? { jvmOptions: [], dumps: false, publish: async () => undefined }
    : await planClassDataSharing(java.versionText, libsDir, !options.keepAlive);
  const baseOptions = options.jvmOptions ?? FUNCTIONAL_TEST_JVM_OPTIONS;
  const jvmOptionsOf = (): string[] => [...baseOptions, ...classData.jvmOptions, ...(options.extraJvmOptions ?? [])];
  let jvm = await boot(options, dir, libsDir, jvmOptionsOf()).catch(async (error: unknown) => {
    await rm(dir, { recursive: true, force: true });
    throw error;
  });
  let stopping: Promise<void> | undefined;
  const running = (): boolean => jvm.exitStatus() === undefined;
  const kill = async (signal: 'SIGKILL' | 'SIGTERM' = 'SIGKILL'): Promise<void> => {
    if (running()) {
      signalProcess(jvm.pid, 'SIGCONT');
      signalProcess(jvm.pid, signal);
      await waitFor(() => !running(), { timeoutMs: 60_000, intervalMs: 20, message: `kafka cluster "${options.name}" did not exit on ${signal}` });
    }
    owned.delete(jvm.pid);
    forgetPid(jvm.pid);
    // A killed JVM never finishes its class-data dump; later JVMs of this cluster do not dump.
    classData = { jvmOptions: [], dumps: false, publish: async () => undefined };
  };
  const restart = async (): Promise<void> => {
    if (stopping) throw new KafkaStartError(`kafka cluster "${options.name}" is stopped for good`);
    if (running()) await kill('SIGTERM');
    jvm = await boot(options, dir, libsDir, jvmOptionsOf());
    cluster.pid = jvm.pid;
  };
  const cluster: KafkaCluster = {
    name: options.name,
    clusterId,
    flavour,
    bootstrap: `127.0.0.1:${ports.broker}`,
    ...(ports.sasl === undefined ? {} : { saslBootstrap: `127.0.0.1:${ports.sasl}`, users: SASL_USERS }),
    ...(flavour === 'plaintext' || flavour === 'sasl' ? {} : { listeners: listenerAddresses(flavour, ports), users: SASL_USERS }),
    ...(pki ? { pki } : {}),
    pid: jvm.pid,
    dir,
    logFile: join(dir, 'logs', 'server.log'),
    stop: () => {
      if (running()) signalProcess(jvm.pid, 'SIGCONT');
      return (stopping ??= stopJvm(jvm, dir, classData));
    },
    kill,
    restart,
    freeze: () => { if (running()) signalProcess(jvm.pid, 'SIGSTOP'); },
    thaw: () => { if (running()) signalProcess(jvm.pid, 'SIGCONT'); },
  };
  return cluster;
}

function brokerTlsFiles(pki: TestPki): BrokerTlsFiles {
  return {
    keystore: pki.brokerKeystore,
    expiredKeystore: pki.expiredBrokerKeystore,
    keystorePassword: pki.brokerKeystorePassword,
    truststorePem: pki.caPem,
    clientDn: TEST_CLIENT_DN,
  };
}

function listenerAddresses(flavour: KafkaFlavour, ports: ListenerPorts): Partial<Record<SecureListener, string>> {
  const out: Partial<Record<SecureListener, string>> = {};
  for (const listener of FLAVOUR_LISTENERS[flavour]) {
    out[listener] = listener === 'SASL_PLAINTEXT' ? `127.0.0.1:${ports.sasl}` : `localhost:${ports.secure?.[listener]}`;
  }
  return out;
}

/** Ports for every listener of `flavour`. */
async function allocatePorts(flavour: KafkaFlavour): Promise<ListenerPorts> {
  const [broker = 0, controller = 0, sasl = 0, ssl = 0, mtls = 0, expired = 0, saslSsl = 0] = await freePorts(7);
  const wanted = FLAVOUR_LISTENERS[flavour];
  const secure: NonNullable<ListenerPorts['secure']> = {};
  if (wanted.includes('SSL')) secure.SSL = ssl;
  if (wanted.includes('MTLS')) secure.MTLS = mtls;
  if (wanted.includes('EXPIRED')) secure.EXPIRED = expired;
  if (wanted.includes('SASL_SSL')) secure.SASL_SSL = saslSsl;
  return { broker, controller, ...(wanted.includes('SASL_PLAINTEXT') ? { sasl } : {}), ...(Object.keys(secure).length > 0 ? { secure } : {}) };
}

async function prepareDir(requested: string | undefined, name: string): Promise<string> {
  if (requested === undefined) return mkdtemp(join(tmpdir(), `clink-kafka-${name}-`));
  await mkdir(requested, { recursive: true });
  if ((await readdir(requested)).length > 0) throw new KafkaStartError(`cluster directory ${requested} is not empty`);
  return requested;
}

export async function startKafkaCluster(options: StartKafkaClusterOptions): Promise<KafkaCluster> {
  if (!reaped) reapOrphans();
  reaped = true;
  const libsDir = options.libsDir ?? (await ensureKafkaJars());
  const java = await (javaChecked ??= verifyJava());
  for (let attempt = 1; ; attempt += 1) {
    const dir = await prepareDir(options.dir, options.name);
    const ports = await allocatePorts(options.flavour ?? 'plaintext');
    try {
      return await launch(options, { dir, ports, libsDir, java });
    } catch (error) {
      await rm(dir, { recursive: true, force: true });
      const collided = error instanceof KafkaStartError && error.context?.bindCollision === true;
      if (!collided || attempt >= (options.bindAttempts ?? 3)) throw error;
    }
  }
}
