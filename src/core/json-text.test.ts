import { describe, expect, it } from 'vitest';
import { InvalidConfigError } from './errors.js';
import { locateJsonError, parseJsonValue } from './json-text.js';

describe('locateJsonError', () => {
  it.each(['{}', '[]', '{"a":[1,-2.5e3,true,false,null,"x\\u00e9\\n"]}', ' {"a" : { "b" : [ ] } } ', '0', '"s"'])('accepts valid JSON %j', (text) => {
    expect(() => JSON.parse(text)).not.toThrow();
    expect(locateJsonError(text)).toBeUndefined();
  });

  it.each([
    ['{"a":}', 5, 'unexpected character "}"'],
    ['{"a":1,}', 7, 'expected a double-quoted property name'],
    ['{"a" 1}', 5, "expected ':' after a property name"],
    ['{"a":[1,2}', 9, "expected ',' or ']' after an array element"],
    ['{"a":"x', 7, 'unterminated string'],
    ['', 0, 'unexpected end of input'],
    ['{"a":1}x', 7, 'unexpected text after the JSON value'],
    ["{'a':1}", 1, 'expected a double-quoted property name'],
    ['{"a":01}', 6, "expected ',' or '}' after a property value"],
    ['{"a":"\\x"}', 6, 'bad escape in string'],
    ['{"a":"\t"}', 6, 'control character in string'],
    ['[tru]', 1, 'unexpected character "t"'],
  ])('finds the fault in %j', (text, at, reason) => {
    expect(() => JSON.parse(text)).toThrow();
    expect(locateJsonError(text)).toEqual({ at, reason });
  });
});

describe('parseJsonValue', () => {
  it('returns the parsed value', () => {
    expect(parseJsonValue('{"a":[1]}', 'x')).toEqual({ a: [1] });
  });

  it('reports a 1-based character and a reason, without quoting the text', () => {
    let error: unknown;
    try {
      parseJsonValue('{"secretish":}', 'acl.filters', '{"aclFilters":[]}');
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(InvalidConfigError);
    expect((error as InvalidConfigError).message).toBe('invalid JSON in acl.filters at character 14: unexpected character "}"');
    expect((error as InvalidConfigError).message).not.toContain('secretish');
    expect((error as InvalidConfigError).suggestion).toBe('Write the value as JSON on one line, for example `{"aclFilters":[]}`.');
  });
});
