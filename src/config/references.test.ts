import { mkdtemp, rm, writeFile, mkdir } from 'node:fs/promises';
import { readFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { InvalidConfigError } from '../core/errors.js';
import { hasReference, hasReferences, resolveReferences, resolveValue } from './references.js';

const SECRET = 'pa55-w0rd';

function deps(files: Record<string, string> = {}, env: Record<string, string> = {}) {
  const reads: string[] = [];
  return {
    reads,
    env,
    readFile: async (path: string) => {
      reads.push(path);
      const text = files[path];
      if (text === undefined) throw Object.assign(new Error(`ENOENT ${path}`), { code: 'ENOENT' });
      return text;
    },
  };
}

async function errorOf(promise: Promise<unknown>): Promise<InvalidConfigError> {
  try {
    await promise;
  } catch (error) {
    expect(error).toBeInstanceOf(InvalidConfigError);
    return error as InvalidConfigError;
  }
  throw new Error('expected a rejection');
}

describe('hasReference', () => {
  it.each([
    ['${env:X}', true],
    ['prefix-${file:/a/b.properties:k}-suffix', true],
    ['${dir:/run/secrets:pw}', true],
    ['${env::X}', true],
    ['plain', false],
    ['$env:X', false],
    ['${noColon}', false],
    ['{"a":"${"}', false],
  ])('%j → %s', (value, expected) => {
    expect(hasReference(value)).toBe(expected);
    expect(hasReference(value)).toBe(expected); // a global regex must not keep state between calls
  });

  it('scans a whole map', () => {
    expect(hasReferences({ a: 'x', b: '${env:Y}' })).toBe(true);
    expect(hasReferences({ a: 'x' })).toBe(false);
  });
});

describe('resolveReferences', () => {
  it('resolves env, file and dir references, whole or embedded, leaving other values alone', async () => {
    const d = deps(
      { '/etc/kafka/secrets.properties': 'user=alice\npassword=' + SECRET + '\n', '/run/secrets/token': 'tok\n' },
      { KAFKA_USER: 'alice', BROKERS: 'a:9092,b:9092' },
    );
    const resolved = await resolveReferences(
      {
        'bootstrap.servers': '${env:BROKERS}',
        'sasl.jaas.config': 'x.Y required username="${env:KAFKA_USER}" password="${file:/etc/kafka/secrets.properties:password}";',
        token: '${dir:/run/secrets:token}',
        'client.id': 'clink',
        legacy: '${env::KAFKA_USER}',
      },
      d,
    );
    expect({ ...resolved }).toEqual({
      'bootstrap.servers': 'a:9092,b:9092',
      'sasl.jaas.config': `x.Y required username="alice" password="${SECRET}";`,
      token: 'tok\n',
      'client.id': 'clink',
      legacy: 'alice',
    });
  });

  it('reads a referenced file once however often it is used', async () => {
    const d = deps({ '/s.properties': 'a=1\nb=2' });
    await resolveReferences({ x: '${file:/s.properties:a}', y: '${file:/s.properties:b}-${file:/s.properties:a}' }, d);
    expect(d.reads).toEqual(['/s.properties']);
  });

  it('only sees real environment variables, not object properties', async () => {
    await expect(resolveValue('k', '${env:constructor}', deps())).rejects.toThrow('environment variable constructor is not set');
    await expect(resolveValue('k', '${file:/s.properties:toString}', deps({ '/s.properties': 'a=1' }))).rejects.toThrow('has no key "toString"');
  });

  it('does not resolve references found inside resolved values', async () => {
    expect(await resolveValue('k', '${env:A}', deps({}, { A: '${env:B}', B: 'no' }))).toBe('${env:B}');
  });

  it('supports Windows-style paths (the key is after the last colon)', async () => {
    expect(await resolveValue('k', '${file:C:\\kafka\\s.properties:pw}', deps({ 'C:\\kafka\\s.properties': 'pw=x' }))).toBe('x');
  });

  it.each([
    [{ k: '${env:MISSING}' }, 'config "k" refers to ${env:MISSING}, but environment variable MISSING is not set'],
    [{ k: '${env:}' }, 'config "k" refers to ${env:}, but no variable name is given'],
    [{ k: '${file:/nope.properties:pw}' }, 'config "k" refers to ${file:/nope.properties:pw}, but file "/nope.properties" does not exist'],
    [{ k: '${file:/s.properties:absent}' }, 'config "k" refers to ${file:/s.properties:absent}, but file "/s.properties" has no key "absent"'],
    [{ k: '${file:/s.properties}' }, 'config "k" refers to ${file:/s.properties}, but it has no path and key'],
    [{ k: '${file:/bad.properties:pw}' }, 'config "k" refers to ${file:/bad.properties:pw}, but file "/bad.properties" is not a valid properties file (line 2: malformed \\uxxxx encoding)'],
    [{ k: '${dir:/run/secrets:../etc}' }, 'config "k" refers to ${dir:/run/secrets:../etc}, but the file name must not contain a path'],
    [{ k: '${dir:/run/secrets:absent}' }, 'config "k" refers to ${dir:/run/secrets:absent}, but file "/run/secrets/absent" does not exist'],
    [{ k: '${vault:secret/kafka:pw}' }, 'config "k" refers to ${vault:secret/kafka:pw}, but config provider "vault" is not supported'],
  ])('rejects %j naming the reference but no value', async (map, message) => {
    const d = deps({ '/s.properties': `pw=${SECRET}`, '/bad.properties': `pw=${SECRET}\nx=\\u12` }, { OTHER: SECRET });
    const error = await errorOf(resolveReferences(map, d));
    expect(error.message).toBe(message);
    expect(error.suggestion).toMatch(/\.$/);
    expect(`${error.message} ${error.suggestion} ${JSON.stringify(error.context)}`).not.toContain(SECRET);
  });

  describe('with real files', () => {
    let dir: string;
    beforeAll(async () => {
      dir = await mkdtemp(join(tmpdir(), 'clink-refs-'));
      await writeFile(join(dir, 'creds.properties'), `password=${SECRET}\n`);
      await mkdir(join(dir, 'denied'));
    });
    afterAll(() => rm(dir, { recursive: true, force: true }));

    it('resolves through fs', async () => {
      const value = await resolveValue('k', `\${file:${join(dir, 'creds.properties')}:password}`, {
        env: {},
        readFile: (p) => readFile(p, 'utf8'),
      });
      expect(value).toBe(SECRET);
    });

    it('explains a path that is a directory', async () => {
      const error = await errorOf(resolveValue('k', `\${file:${join(dir, 'denied')}:password}`, { env: {}, readFile: (p) => readFile(p, 'utf8') }));
      expect(error.message).toBe(`config "k" refers to \${file:${join(dir, 'denied')}:password}, but file "${join(dir, 'denied')}" cannot be read (it is a directory)`);
    });
  });
});
