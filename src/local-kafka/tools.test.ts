import { chmod, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { MissingToolError } from './errors.js';
import { parseJavaMajorVersion, verifyJava, verifyMaven } from './tools.js';

describe('parseJavaMajorVersion', () => {
  it.each([
    ['openjdk version "17.0.15" 2025-04-15', 17],
    ['openjdk version "21" 2023-09-19', 21],
    ['java version "1.8.0_292"', 8],
    ['openjdk version "11.0.2" 2019-01-15', 11],
    ['no version here', undefined],
  ])('reads %j as %s', (output, major) => {
    expect(parseJavaMajorVersion(output)).toBe(major);
  });
});

describe('tool checks with an injected PATH', () => {
  let bin: string;
  const env = (): NodeJS.ProcessEnv => ({ PATH: bin });
  const fakeTool = async (name: string, script: string): Promise<void> => {
    await writeFile(join(bin, name), `#!/bin/sh\n${script}\n`);
    await chmod(join(bin, name), 0o755);
  };
  beforeAll(async () => { bin = await mkdtemp(join(tmpdir(), 'clink-tools-')); });
  afterAll(async () => { await rm(bin, { recursive: true, force: true }); });

  it('says which JDK to install when java is missing', async () => {
    const error = await verifyJava({ env: env() }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(MissingToolError);
    expect((error as Error).message).toBe('java 17+ not found on PATH: install a JDK 17+ (Debian: apt-get install openjdk-17-jdk-headless)');
  });

  it('says which package to install when mvn is missing', async () => {
    await expect(verifyMaven({ env: env() })).rejects.toThrow('mvn not found on PATH: install Maven 3.6+ (Debian: apt-get install maven)');
  });

  it('rejects a java older than 17', async () => {
    await fakeTool('java', 'echo \'openjdk version "11.0.2" 2019-01-15\' >&2');
    await expect(verifyJava({ env: env() })).rejects.toThrow(/^java 11 found on PATH but Kafka needs 17\+: install a JDK 17\+/);
  });

  it('accepts java 17+ and a working mvn', async () => {
    await fakeTool('java', 'echo \'openjdk version "21.0.1" 2023-10-17\' >&2');
    await fakeTool('mvn', 'echo "Apache Maven 3.9.6"');
    expect(await verifyJava({ env: env() })).toMatchObject({ major: 21, versionText: expect.stringContaining('21.0.1') });
    await expect(verifyMaven({ env: env() })).resolves.toBeUndefined();
  });
});
