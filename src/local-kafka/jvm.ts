/**
 * Spawns one Kafka broker JVM, detached into its own process group with stdout/stderr going to
 * files, so it neither receives the terminal's Ctrl-C nor depends on a pipe to this process.
 * Invariant: the returned `exitStatus()` becomes defined as soon as the JVM has exited, and from
 * then on nobody must signal its (possibly reused) pid.
 */
import { spawn } from 'node:child_process';
import { closeSync, openSync } from 'node:fs';
import { join } from 'node:path';
import { KafkaStartError, MissingToolError } from './errors.js';
import { JAVA_INSTALL_HINT, MIN_JAVA_MAJOR } from './tools.js';

export interface KafkaJvmSpec {
  name: string;
  libsDir: string;
  /** Holds server.properties and log4j2.properties; logs go to <dir>/logs. */
  dir: string;
  jvmOptions: string[];
}

export interface KafkaJvm {
  pid: number;
  /** undefined while running, then e.g. "exit code 1" or "killed by SIGKILL". */
  exitStatus(): string | undefined;
}

export async function spawnKafkaJvm(spec: KafkaJvmSpec): Promise<KafkaJvm> {
  const logsDir = join(spec.dir, 'logs');
  const out = openSync(join(logsDir, 'stdout.log'), 'a');
  const err = openSync(join(logsDir, 'stderr.log'), 'a');
  const args = [
    ...spec.jvmOptions,
    `-Dkafka.logs.dir=${logsDir}`,
    `-Dlog4j2.configurationFile=${join(spec.dir, 'log4j2.properties')}`,
    '-cp', join(spec.libsDir, '*'),
    'kafka.Kafka', join(spec.dir, 'server.properties'),
  ];
  const child = spawn('java', args, { detached: true, stdio: ['ignore', out, err] });
  closeSync(out);
  closeSync(err);
  let status: string | undefined;
  let spawnError: NodeJS.ErrnoException | undefined;
  child.on('error', (error) => { spawnError = error; });
  child.on('exit', (code, signal) => { status = signal ? `killed by ${signal}` : `exit code ${code}`; });
  child.unref();
  if (child.pid === undefined) {
    await new Promise((resolve) => setImmediate(resolve));
    if (spawnError?.code === 'ENOENT') throw new MissingToolError(`java ${MIN_JAVA_MAJOR}+ not found on PATH: ${JAVA_INSTALL_HINT}`);
    throw new KafkaStartError(`could not start java for kafka cluster "${spec.name}": ${spawnError?.message ?? 'no pid'}`);
  }
  return { pid: child.pid, exitStatus: () => status };
}
