/**
 * A record per Kafka JVM started from this checkout, in .clink-clusters/pids/<pid>.json, so that a
 * later start can kill JVMs orphaned by a run that was killed before its teardown (SIGKILL, crash).
 * Invariant: a JVM is reaped only if its record names an owner process that no longer exists and
 * the live process with that pid is still the same JVM (start time and command line match);
 * JVMs started with `keepAlive` (no owner, e.g. `npm run clusters -- up`) are never reaped here.
 */
import { mkdirSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { paths } from './paths.js';
import { commandLineOf, isProcessAlive, signalProcess, startTimeOf } from './processes.js';

export interface PidRecord {
  pid: number;
  startTime?: number;
  name: string;
  dir: string;
  /** The process whose exit must take this JVM down; null for clusters meant to outlive it. */
  ownerPid: number | null;
  ownerStartTime?: number;
}

const fileOf = (pid: number): string => join(paths.pidsDir, `${pid}.json`);

export function recordPid(record: Omit<PidRecord, 'startTime' | 'ownerStartTime'>): void {
  mkdirSync(paths.pidsDir, { recursive: true });
  const full: PidRecord = {
    ...record,
    startTime: startTimeOf(record.pid),
    ownerStartTime: record.ownerPid === null ? undefined : startTimeOf(record.ownerPid),
  };
  writeFileSync(fileOf(record.pid), JSON.stringify(full));
}

export function forgetPid(pid: number): void {
  rmSync(fileOf(pid), { force: true });
}

/** True if `pid` is still the JVM the record describes. */
export function isSameJvm(record: Pick<PidRecord, 'pid' | 'dir' | 'startTime'>): boolean {
  if (!isProcessAlive(record.pid)) return false;
  const startTime = startTimeOf(record.pid);
  if (record.startTime !== undefined && startTime !== undefined && startTime !== record.startTime) return false;
  const commandLine = commandLineOf(record.pid) ?? '';
  return commandLine.includes('kafka.Kafka') && commandLine.includes(record.dir);
}

function ownerIsGone(record: PidRecord): boolean {
  if (record.ownerPid === null) return false;
  if (!isProcessAlive(record.ownerPid)) return true;
  const startTime = startTimeOf(record.ownerPid);
  return record.ownerStartTime !== undefined && startTime !== undefined && startTime !== record.ownerStartTime;
}

/** Kills JVMs left behind by dead owners and removes their directories; returns their pids. */
export function reapOrphans(): number[] {
  let files: string[];
  try {
    files = readdirSync(paths.pidsDir).filter((file) => file.endsWith('.json'));
  } catch {
    return [];
  }
  const reaped: number[] = [];
  for (const file of files) {
    let record: PidRecord;
    try {
      record = JSON.parse(readFileSync(join(paths.pidsDir, file), 'utf8')) as PidRecord;
    } catch {
      continue;
    }
    const alive = isSameJvm(record);
    if (record.ownerPid === null) {
      if (!alive) forgetPid(record.pid);
      continue;
    }
    if (!ownerIsGone(record)) continue;
    if (alive) {
      signalProcess(record.pid, 'SIGKILL');
      reaped.push(record.pid);
    }
    rmSync(record.dir, { recursive: true, force: true });
    forgetPid(record.pid);
  }
  return reaped;
}
