import { describe, expect, it } from 'vitest';
import { InvalidConfigError } from '../core/errors.js';
import { formatJaasConfig, parseJaasConfig } from './jaas.js';

const PLAIN = 'org.apache.kafka.common.security.plain.PlainLoginModule';

function errorOf(text: string, key?: string): InvalidConfigError {
  try {
    parseJaasConfig(text, key);
  } catch (error) {
    expect(error).toBeInstanceOf(InvalidConfigError);
    return error as InvalidConfigError;
  }
  throw new Error('expected parseJaasConfig to throw');
}

// Accepted inputs and results were checked against Kafka 4.1's JaasContext.loadClientContext.
describe('parseJaasConfig', () => {
  it.each([
    [`${PLAIN} required username="u" password="p\\"q";`, PLAIN, { username: 'u', password: 'p"q' }],
    ['x.Y required username=u password=p;', 'x.Y', { username: 'u', password: 'p' }],
    ["x.Y required username='u' password='p q';", 'x.Y', { username: 'u', password: 'p q' }],
    ['x.Y required username=a-b_c$d.e password=p;', 'x.Y', { username: 'a-b_c$d.e', password: 'p' }],
    ['x.Y required username="u\\\\v\\n" password="p";', 'x.Y', { username: 'u\\v\n', password: 'p' }],
    ['x.Y required;', 'x.Y', {}],
    ['x.Y   REQUIRED   username = "u" ;', 'x.Y', { username: 'u' }],
    ['x.Y required username="u" /* c */ password="p";', 'x.Y', { username: 'u', password: 'p' }],
    ['x.Y required // line comment\n username="u";', 'x.Y', { username: 'u' }],
    ['  x.Y optional a="" b="=;";  ', 'x.Y', { a: '', b: '=;' }],
  ])('parses %j', (text, loginModule, options) => {
    const parsed = parseJaasConfig(text);
    expect(parsed.loginModule).toBe(loginModule);
    expect({ ...parsed.options }).toEqual(options);
  });

  it('normalises the control flag to lower case', () => {
    expect(parseJaasConfig('x.Y Sufficient;').controlFlag).toBe('sufficient');
  });

  it.each([
    ['', 'invalid sasl.jaas.config: no login module class is given'],
    ['x.Y', 'invalid sasl.jaas.config: the login module control flag is missing'],
    ['x.Y bogus username="u";', 'invalid sasl.jaas.config: the login module control flag must be one of required, requisite, sufficient, optional'],
    ['x.Y required username="u" password="hunter2"', 'invalid sasl.jaas.config: the entry must end with a semicolon'],
    ['x.Y required username= password="hunter2";', 'invalid sasl.jaas.config: option "username" has no value'],
    ['x.Y required username password="hunter2";', 'invalid sasl.jaas.config: option "username" has no value'],
    ['x.Y required username="u" password="hunter2;', 'invalid sasl.jaas.config: the value of option "password" has no closing quote'],
    ['x.Y required username="u"; z.W required password="hunter2";', 'invalid sasl.jaas.config: it must contain exactly one login module'],
    ['x.Y required /* password="hunter2";', 'invalid sasl.jaas.config: unterminated comment'],
    ['x.Y required ="hunter2";', 'invalid sasl.jaas.config: expected an option name'],
  ])('rejects %j without quoting it', (text, message) => {
    const error = errorOf(text);
    expect(error.message).toBe(message);
    expect(error.message).not.toContain('hunter2');
    expect(error.suggestion ?? '').not.toContain('hunter2');
    expect(JSON.stringify(error.context)).not.toContain('hunter2');
  });

  it('names the key it was given', () => {
    expect(errorOf('x.Y', 'local.sasl.jaas.config').message).toMatch(/^invalid local\.sasl\.jaas\.config: /);
  });
});

describe('formatJaasConfig', () => {
  it('round-trips through the parser, escaping quotes and backslashes', () => {
    const text = formatJaasConfig(PLAIN, { username: 'key', password: 'a"b\\c' });
    expect(text).toBe(`${PLAIN} required username="key" password="a\\"b\\\\c";`);
    expect({ ...parseJaasConfig(text).options }).toEqual({ username: 'key', password: 'a"b\\c' });
  });
});
