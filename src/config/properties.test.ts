import { mkdtemp, mkdir, writeFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { InvalidConfigError, NotFoundError } from '../core/errors.js';
import { parseProperties, parsePropertiesDetailed, readPropertiesFile, readPropertiesFileDetailed } from './properties.js';

// Expected values were produced by java.util.Properties#load (JDK 17) on the same text.
const JAVA_CASES = [
  '# comment',
  '! bang comment',
  '   ',
  '  a=1',
  'b : 2',
  'c   3',
  'd=  spaced value  ',
  'e==x',
  'f:=y',
  'g = = z',
  'h\\',
  '   continued',
  'i = one \\',
  '    two \\',
  '#notcomment',
  'j=trailing\\\\',
  'k\\=eq\\:colon\\ sp=v',
  'l=\\t\\n\\r\\f\\\\\\u00e9\\#\\!\\q',
  'm',
  'n=',
  'o  :  ',
  'a=override',
  '\\ lead=1',
  'p=\\uD83D\\uDE00',
  '  # indented comment \\',
  'q=after-comment',
  'r=tab\tsep',
  's\tt',
  'u\\',
  '',
  'v=x',
  'w=last\\',
].join('\n');

const JAVA_RESULT = {
  ' lead': '1',
  a: 'override',
  b: '2',
  c: '3',
  d: 'spaced value  ',
  e: '=x',
  f: '=y',
  g: '= z',
  hcontinued: '',
  i: 'one two #notcomment',
  j: 'trailing\\',
  'k=eq:colon sp': 'v',
  l: '\t\n\r\f\\é#!q',
  m: '',
  n: '',
  o: '',
  p: '😀',
  q: 'after-comment',
  r: 'tab\tsep',
  s: 't',
  u: '',
  v: 'x',
  w: 'last',
};

describe('parseProperties', () => {
  it('reads every case exactly as java.util.Properties does', () => {
    expect(parseProperties(JAVA_CASES)).toEqual(JAVA_RESULT);
  });

  it('handles CRLF, CR and LF line ends, including inside a continuation', () => {
    expect(parseProperties('x=a\r\ny=b\rz=c\\\r\n  d')).toEqual({ x: 'a', y: 'b', z: 'cd' });
  });

  it('keeps the line number of the winning duplicate and of continued lines', () => {
    const parsed = parsePropertiesDetailed('a=1\n\n# c\nb=x\\\n  y\na=2\n');
    expect({ ...parsed.lines }).toEqual({ a: 6, b: 4 });
    expect(parsed.values.a).toBe('2');
  });

  it('ignores a byte-order mark and treats __proto__ as an ordinary key', () => {
    const detailed = parsePropertiesDetailed('\uFEFFa=1\n__proto__=x\n');
    expect(Object.keys(detailed.values)).toEqual(['a', '__proto__']);
    const parsed = parseProperties('\uFEFFa=1\n__proto__=x\n');
    expect(Object.keys(parsed)).toEqual(['a', '__proto__']);
    expect(Object.getOwnPropertyDescriptor(parsed, '__proto__')?.value).toBe('x');
    expect(Object.getPrototypeOf(parsed)).toBe(Object.prototype);
  });

  it('parses the Confluent dr-link.config example with JSON and JAAS values intact', () => {
    const text = [
      'consumer.offset.sync.enable=true',
      'consumer.offset.group.filters={"groupFilters": [{"name": "*","patternType": "LITERAL","filterType": "INCLUDE"}]}',
      'acl.filters={ "aclFilters": [ { "resourceFilter": { "resourceType": "any", "patternType": "any" } } ] }',
      'sasl.jaas.config=org.apache.kafka.common.security.plain.PlainLoginModule required username="<api-key>" password="<api-secret>";',
    ].join('\n');
    const values = parseProperties(text, { source: 'dr-link.config' });
    expect(values['consumer.offset.group.filters']).toBe('{"groupFilters": [{"name": "*","patternType": "LITERAL","filterType": "INCLUDE"}]}');
    expect(values['acl.filters']?.startsWith('{ "aclFilters"')).toBe(true);
    expect(values['sasl.jaas.config']?.endsWith('password="<api-secret>";')).toBe(true);
  });

  it('returns an empty map for empty input', () => {
    expect(parseProperties('')).toEqual({});
    expect(parseProperties('\n  \n# only comments\n')).toEqual({});
  });

  it.each([
    ['a=\\u12', 1],
    ['a=1\nb=\\uZZZZ', 2],
    ['ok=1\nx=\\\n  \\u00g1', 2],
    ['\\u00=v', 1],
  ])('rejects a malformed \\u escape in %j with the file and line', (text, line) => {
    let error: unknown;
    try {
      parseProperties(text, { source: 'dr-link.config' });
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(InvalidConfigError);
    expect((error as Error).message).toBe(`invalid properties file "dr-link.config": line ${line}: malformed \\uxxxx encoding`);
    expect((error as InvalidConfigError).suggestion).toMatch(/four hexadecimal digits/);
  });

  it('never quotes the offending line, which may hold a password', () => {
    expect(() => parseProperties('ssl.key.password=s3cr3t\\u00', { source: 'f' })).toThrow(/^invalid properties file "f": line 1: malformed/);
    try {
      parseProperties('ssl.key.password=s3cr3t\\u00');
    } catch (e) {
      expect((e as Error).message).toBe('invalid properties: line 1: malformed \\uxxxx encoding');
      expect((e as Error).message).not.toContain('s3cr3t');
    }
  });
});

describe('readPropertiesFile', () => {
  let dir: string;
  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'clink-props-'));
  });
  afterAll(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  it('reads a file and labels it with the path as given', async () => {
    const path = join(dir, 'client.properties');
    await writeFile(path, 'bootstrap.servers=a:9092\n');
    const parsed = await readPropertiesFileDetailed(path);
    expect(parsed.source).toBe(path);
    expect(parsed.lines['bootstrap.servers']).toBe(1);
    expect(await readPropertiesFile(path)).toEqual({ 'bootstrap.servers': 'a:9092' });
  });

  it('reports a missing file as not found', async () => {
    const path = join(dir, 'missing.properties');
    await expect(readPropertiesFile(path)).rejects.toBeInstanceOf(NotFoundError);
    await expect(readPropertiesFile(path)).rejects.toThrow(`config file "${path}" not found`);
  });

  it('reports a directory as unreadable', async () => {
    const sub = join(dir, 'sub');
    await mkdir(sub);
    await expect(readPropertiesFile(sub)).rejects.toThrow(`cannot read config file "${sub}": it is a directory`);
  });

  it('reports permission problems', async () => {
    const denied = Object.assign(new Error('EACCES'), { code: 'EACCES' });
    await expect(readPropertiesFile('/x', { readFile: () => Promise.reject(denied) })).rejects.toThrow(
      'cannot read config file "/x": permission denied',
    );
  });

  it('names parse errors by the given label', async () => {
    await expect(readPropertiesFile('/abs/x.config', { source: 'x.config', readFile: async () => 'a=\\u1' })).rejects.toThrow(
      'invalid properties file "x.config": line 1',
    );
  });
});
