/**
 * JSON parsing for config values, with errors that say where the text goes wrong.
 * V8's messages sometimes omit the position and sometimes quote the input; this module reports
 * `at character N` (1-based) and a short reason instead, from its own strict RFC 8259 scanner.
 * Invariant: the message never quotes the input text.
 */
import { InvalidConfigError } from './errors.js';

interface JsonFault {
  at: number;
  reason: string;
}

/** The first syntax error of `text`, or undefined when it is valid JSON. */
export function locateJsonError(text: string): JsonFault | undefined {
  let i = 0;
  const fault = (reason: string): never => {
    throw { at: i, reason } satisfies JsonFault;
  };
  const ws = (): void => {
    while (i < text.length && ' \t\n\r'.includes(text[i] as string)) i++;
  };
  const string = (): void => {
    i++;
    while (i < text.length) {
      const c = text[i] as string;
      if (c === '"') {
        i++;
        return;
      }
      if (c === '\\') {
        const next = text[i + 1] ?? '';
        if ('"\\/bfnrt'.includes(next) && next !== '') i += 2;
        else if (next === 'u' && /^[0-9a-fA-F]{4}$/.test(text.slice(i + 2, i + 6))) i += 6;
        else fault('bad escape in string');
        continue;
      }
      if (c < ' ') fault('control character in string');
      i++;
    }
    fault('unterminated string');
  };
  const value = (): void => {
    ws();
    const c = text[i];
    if (c === undefined) return fault('unexpected end of input');
    if (c === '{' || c === '[') {
      const close = c === '{' ? '}' : ']';
      i++;
      ws();
      if (text[i] === close) {
        i++;
        return;
      }
      for (;;) {
        if (c === '{') {
          ws();
          if (text[i] !== '"') fault('expected a double-quoted property name');
          string();
          ws();
          if (text[i] !== ':') fault("expected ':' after a property name");
          i++;
        }
        value();
        ws();
        if (text[i] === ',') i++;
        else if (text[i] === close) {
          i++;
          return;
        } else fault(`expected ',' or '${close}' after ${c === '{' ? 'a property value' : 'an array element'}`);
      }
    }
    if (c === '"') return string();
    const number = /-?(?:0|[1-9]\d*)(?:\.\d+)?(?:[eE][+-]?\d+)?/y;
    number.lastIndex = i;
    if ((c === '-' || (c >= '0' && c <= '9')) && number.test(text)) {
      i = number.lastIndex;
      return;
    }
    for (const literal of ['true', 'false', 'null']) {
      if (text.startsWith(literal, i)) {
        i += literal.length;
        return;
      }
    }
    fault(`unexpected character ${JSON.stringify(c)}`);
  };
  try {
    value();
    ws();
    if (i < text.length) fault('unexpected text after the JSON value');
    return undefined;
  } catch (error) {
    if (typeof error === 'object' && error !== null && 'reason' in error) return error as JsonFault;
    throw error;
  }
}

/** Parses `text`; `what` names the config in the error (`invalid JSON in acl.filters at character 12: …`). */
export function parseJsonValue(text: string, what: string, example?: string): unknown {
  try {
    return JSON.parse(text) as unknown;
  } catch {
    const fault = locateJsonError(text);
    const where = fault === undefined ? '' : ` at character ${fault.at + 1}`;
    throw new InvalidConfigError(`invalid JSON in ${what}${where}: ${fault?.reason ?? 'not valid JSON'}`, {
      suggestion: example === undefined ? 'Write the value as valid JSON on one line.' : `Write the value as JSON on one line, for example \`${example}\`.`,
      context: { key: what },
    });
  }
}
