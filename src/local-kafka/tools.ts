/**
 * Checks for the two external programs the local Kafka needs: a JDK 17+ (`java`) and Maven (`mvn`,
 * only to fetch the jars once). Invariant: a missing or too old tool is reported as a
 * MissingToolError whose message says exactly what to install; PATH comes from `env`, so tests can
 * inject one.
 */
import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { MissingToolError } from './errors.js';

const run = promisify(execFile);

export const MIN_JAVA_MAJOR = 17;
export const JAVA_INSTALL_HINT = 'install a JDK 17+ (Debian: apt-get install openjdk-17-jdk-headless)';
export const MAVEN_INSTALL_HINT = 'install Maven 3.6+ (Debian: apt-get install maven)';

export interface ToolCheckOptions {
  /** Environment whose PATH is searched; default process.env. */
  env?: NodeJS.ProcessEnv;
}

/** `openjdk version "17.0.15"` → 17, `java version "1.8.0_292"` → 8. */
export function parseJavaMajorVersion(versionOutput: string): number | undefined {
  const match = /version "(\d+)(?:\.(\d+))?/.exec(versionOutput);
  if (!match) return undefined;
  const first = Number(match[1]);
  return first === 1 && match[2] !== undefined ? Number(match[2]) : first;
}

async function probe(command: string, args: string[], env: NodeJS.ProcessEnv): Promise<string | undefined> {
  try {
    const { stdout, stderr } = await run(command, args, { env, timeout: 60_000 });
    return `${stdout}\n${stderr}`;
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (code === 'ENOENT' || code === 'EACCES') return undefined;
    const { stdout = '', stderr = '' } = error as { stdout?: string; stderr?: string };
    return `${stdout}\n${stderr}`;
  }
}

export interface JavaInfo {
  major: number;
  /** The full `java -version` output, identifying the exact JDK build. */
  versionText: string;
}

/** Resolves to the version of java on PATH, or throws MissingToolError. */
export async function verifyJava(options: ToolCheckOptions = {}): Promise<JavaInfo> {
  const output = await probe('java', ['-version'], options.env ?? process.env);
  if (output === undefined) throw new MissingToolError(`java ${MIN_JAVA_MAJOR}+ not found on PATH: ${JAVA_INSTALL_HINT}`);
  const major = parseJavaMajorVersion(output);
  if (major === undefined) {
    throw new MissingToolError(`could not read the version of java on PATH: ${JAVA_INSTALL_HINT}`, {
      context: { output: output.trim().slice(0, 200) },
    });
  }
  if (major < MIN_JAVA_MAJOR) {
    throw new MissingToolError(`java ${major} found on PATH but Kafka needs ${MIN_JAVA_MAJOR}+: ${JAVA_INSTALL_HINT}`);
  }
  return { major, versionText: output.trim() };
}

export async function verifyMaven(options: ToolCheckOptions = {}): Promise<void> {
  const output = await probe('mvn', ['-v'], options.env ?? process.env);
  if (output === undefined) throw new MissingToolError(`mvn not found on PATH: ${MAVEN_INSTALL_HINT}`);
  if (!/Apache Maven/i.test(output)) {
    const firstLine = output.trim().split('\n')[0] ?? '';
    throw new MissingToolError(`mvn -v failed (${firstLine}): ${MAVEN_INSTALL_HINT}`);
  }
}
