/**
 * Java `.properties` parsing with the rules of java.util.Properties#load, which Kafka's own tools use
 * for --command-config and client property files.
 * Invariants: every key/value pair a Java client would read is read the same way; a later duplicate
 * wins and its line number is the one kept; errors name the file and line but never quote the
 * line's content (a properties file may hold passwords).
 * Deliberate differences from Java: the text is UTF-8 (Java's InputStream variant assumes ISO-8859-1,
 * which no one writes by hand any more) and a leading byte-order mark is ignored.
 */
import { readFile as fsReadFile } from 'node:fs/promises';
import { InvalidConfigError, NotFoundError } from '../core/errors.js';

export interface PropertiesFile {
  /** File name (or other label) used in messages. */
  source?: string;
  /** Key → value, later duplicates win. Null-prototype object: keys such as `__proto__` are plain keys. */
  values: Record<string, string>;
  /** Key → 1-based line number where its (winning) logical line starts. */
  lines: Record<string, number>;
}

export interface ParsePropertiesOptions {
  source?: string;
}

interface LogicalLine {
  text: string;
  line: number;
}

const isBlank = (c: string | undefined): boolean => c === ' ' || c === '\t' || c === '\f';

function stripLeading(text: string): string {
  let i = 0;
  while (isBlank(text[i])) i++;
  return text.slice(i);
}

function endsWithOddBackslashes(text: string): boolean {
  let count = 0;
  for (let i = text.length - 1; i >= 0 && text[i] === '\\'; i--) count++;
  return count % 2 === 1;
}

/** Natural lines joined into logical lines: comments and blank lines dropped, `\` continuations applied. */
function logicalLines(text: string): LogicalLine[] {
  const natural = text.split(/\r\n|\r|\n/);
  const result: LogicalLine[] = [];
  for (let i = 0; i < natural.length; i++) {
    const start = i + 1;
    let buffer = stripLeading(natural[i] ?? '');
    if (buffer === '' || buffer.startsWith('#') || buffer.startsWith('!')) continue;
    while (endsWithOddBackslashes(buffer)) {
      buffer = buffer.slice(0, -1);
      if (i + 1 >= natural.length) break; // a continuation at end of input is dropped, as in Java
      i++;
      buffer += stripLeading(natural[i] ?? '');
    }
    result.push({ text: buffer, line: start });
  }
  return result;
}

function fail(source: string | undefined, line: number, reason: string, suggestion?: string): never {
  const where = source === undefined ? 'invalid properties' : `invalid properties file "${source}"`;
  throw new InvalidConfigError(`${where}: line ${line}: ${reason}`, {
    ...(suggestion === undefined ? {} : { suggestion }),
    context: { source, line },
  });
}

const SIMPLE_ESCAPES: Record<string, string> = { t: '\t', n: '\n', r: '\r', f: '\f' };

/** Resolves `\t \n \r \f \uXXXX`; any other escaped character stands for itself (`\=`, `\:`, `\ `, `\#`, `\\`). */
function unescape(text: string, source: string | undefined, line: number): string {
  if (!text.includes('\\')) return text;
  let out = '';
  for (let i = 0; i < text.length; i++) {
    const c = text[i] as string;
    if (c !== '\\') {
      out += c;
      continue;
    }
    const next = text[++i];
    if (next === undefined) break;
    if (next === 'u') {
      const hex = text.slice(i + 1, i + 5);
      if (!/^[0-9a-fA-F]{4}$/.test(hex)) {
        fail(source, line, 'malformed \\uxxxx encoding', 'Write `\\u` followed by exactly four hexadecimal digits, for example `\\u00e9`.');
      }
      out += String.fromCharCode(parseInt(hex, 16));
      i += 4;
    } else {
      out += SIMPLE_ESCAPES[next] ?? next;
    }
  }
  return out;
}

/** Splits one logical line into key and value: the key ends at the first unescaped `=`, `:` or blank. */
function splitKeyValue(text: string): { rawKey: string; rawValue: string } {
  let keyEnd = 0;
  let valueStart = text.length;
  let hasSeparator = false;
  let escaped = false;
  for (; keyEnd < text.length; keyEnd++) {
    const c = text[keyEnd];
    if (!escaped && (c === '=' || c === ':')) {
      valueStart = keyEnd + 1;
      hasSeparator = true;
      break;
    }
    if (!escaped && isBlank(c)) {
      valueStart = keyEnd + 1;
      break;
    }
    escaped = c === '\\' ? !escaped : false;
  }
  for (; valueStart < text.length; valueStart++) {
    const c = text[valueStart];
    if (isBlank(c)) continue;
    if (!hasSeparator && (c === '=' || c === ':')) {
      hasSeparator = true;
      continue;
    }
    break;
  }
  return { rawKey: text.slice(0, keyEnd), rawValue: text.slice(valueStart) };
}

/** Key → value of a properties text (later duplicates win). */
export function parseProperties(text: string, options: ParsePropertiesOptions = {}): Record<string, string> {
  return Object.fromEntries(Object.entries(parsePropertiesDetailed(text, options).values));
}

/** Like parseProperties, plus the line number of each key. */
export function parsePropertiesDetailed(text: string, options: ParsePropertiesOptions = {}): PropertiesFile {
  const { source } = options;
  const values: Record<string, string> = Object.create(null) as Record<string, string>;
  const lines: Record<string, number> = Object.create(null) as Record<string, number>;
  const body = text.startsWith('\uFEFF') ? text.slice(1) : text;
  for (const logical of logicalLines(body)) {
    const { rawKey, rawValue } = splitKeyValue(logical.text);
    const key = unescape(rawKey, source, logical.line);
    values[key] = unescape(rawValue, source, logical.line);
    lines[key] = logical.line;
  }
  return { ...(source === undefined ? {} : { source }), values, lines };
}

export interface ReadPropertiesOptions {
  /** Label for messages; defaults to the path as given. */
  source?: string;
  readFile?: (path: string) => Promise<string>;
}

/** Reads and parses a properties file; a missing or unreadable file is a clear, typed error. */
export async function readPropertiesFile(path: string, options: ReadPropertiesOptions = {}): Promise<Record<string, string>> {
  return Object.fromEntries(Object.entries((await readPropertiesFileDetailed(path, options)).values));
}

/** Like readPropertiesFile, plus the line number of each key. */
export async function readPropertiesFileDetailed(path: string, options: ReadPropertiesOptions = {}): Promise<PropertiesFile> {
  const read = options.readFile ?? ((p: string) => fsReadFile(p, 'utf8'));
  let text: string;
  try {
    text = await read(path);
  } catch (error) {
    throw fileReadError(path, error);
  }
  return parsePropertiesDetailed(text, { source: options.source ?? path });
}

/** Maps a file-system error to a ClinkError naming the file (shared with references.ts). */
export function fileReadError(path: string, error: unknown, what = 'config file'): Error {
  const code = (error as NodeJS.ErrnoException | undefined)?.code;
  if (code === 'ENOENT' || code === 'ENOTDIR') {
    return new NotFoundError(`${what} "${path}" not found`, {
      suggestion: 'Check the path; relative paths are resolved from the current directory.',
      cause: error,
    });
  }
  const reason = code === 'EACCES' || code === 'EPERM' ? 'permission denied' : code === 'EISDIR' ? 'it is a directory' : 'it cannot be read';
  return new InvalidConfigError(`cannot read ${what} "${path}": ${reason}`, {
    suggestion: 'Point to a readable text file.',
    cause: error,
  });
}
