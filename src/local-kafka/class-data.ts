/**
 * AppCDS for the broker JVM: the first cluster started with the default JVM options dumps the
 * classes it loaded into a dynamic archive when it stops; later starts map that archive, which cuts
 * JVM startup by about a third. Invariants: the archive path is keyed by the exact `java -version`
 * and the identity of the jar directory (path and resolution marker), so a changed JDK or a re-resolved
 * jar set starts a new archive (and the old ones are deleted when it is published); an archive is only ever
 * published by an atomic rename of a file whose JVM exited normally; a missing, stale or corrupt
 * archive only costs speed (the JVM silently runs without it).
 */
import { createHash } from 'node:crypto';
import { existsSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { mkdir, rename, rm } from 'node:fs/promises';
import { join } from 'node:path';
import { JARS_MARKER } from './jars.js';
import { KAFKA_VERSION, paths } from './paths.js';
import { isProcessAlive } from './processes.js';

export interface ClassDataPlan {
  jvmOptions: string[];
  /** True if this JVM writes the archive when it exits (it then needs more time to stop). */
  dumps: boolean;
  /** Call after the JVM exited after a graceful stop: publishes a freshly dumped archive. */
  publish(): Promise<void>;
}

let dumpingInThisProcess = false;
const noop = async (): Promise<void> => undefined;

/** Deletes archives of other keys, and dumps whose JVM owner died before publishing them. */
function pruneArchives(keep: string): void {
  for (const file of readdirSync(paths.cacheDir)) {
    const match = /^kafka-.*\.jsa(?:\.tmp-(\d+))?$/.exec(file);
    if (!match || join(paths.cacheDir, file) === keep) continue;
    const owner = match[1] === undefined ? undefined : Number(match[1]);
    if (owner === undefined || (owner !== process.pid && !isProcessAlive(owner))) rmSync(join(paths.cacheDir, file), { force: true });
  }
}

export async function planClassDataSharing(javaVersionText: string, libsDir: string, mayDump: boolean): Promise<ClassDataPlan> {
  let marker = '';
  try {
    marker = readFileSync(join(libsDir, JARS_MARKER), 'utf8');
  } catch {
    return { jvmOptions: [], dumps: false, publish: noop };
  }
  const key = createHash('sha256').update([KAFKA_VERSION, javaVersionText, libsDir, marker].join('\n')).digest('hex').slice(0, 12);
  const archive = join(paths.cacheDir, `kafka-${KAFKA_VERSION}-${key}.jsa`);
  if (existsSync(archive)) return { jvmOptions: [`-XX:SharedArchiveFile=${archive}`], dumps: false, publish: noop };
  if (!mayDump || dumpingInThisProcess) return { jvmOptions: [], dumps: false, publish: noop };
  dumpingInThisProcess = true;
  await mkdir(paths.cacheDir, { recursive: true });
  const dump = `${archive}.tmp-${process.pid}`;
  return {
    jvmOptions: [`-XX:ArchiveClassesAtExit=${dump}`],
    dumps: true,
    publish: async () => {
      if (!existsSync(dump)) return;
      await rename(dump, archive).catch(() => rm(dump, { force: true }));
      pruneArchives(archive);
    },
  };
}
