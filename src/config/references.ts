/**
 * Config values that point elsewhere, in the syntax of Kafka's config providers (KIP-297, KIP-887):
 *   ${env:NAME}                      an environment variable (`${env::NAME}` also works, as in Kafka)
 *   ${file:/path/to/file.properties:key}   a key of a properties file (FileConfigProvider)
 *   ${dir:/path/to/dir:name}         the whole content of a file in a directory (DirectoryConfigProvider)
 * A reference may be the whole value or embedded in it. Unlike Kafka, no `config.providers` declaration
 * is needed. The path is everything between the first and the last colon, so Windows paths work.
 * Invariants: references are resolved only when a connection is made (stored configs keep them);
 * resolved values are never re-scanned; errors name the config key and the reference, never a
 * resolved value.
 */
import { InvalidConfigError, NotFoundError } from '../core/errors.js';
import { fileReadError, parsePropertiesDetailed } from './properties.js';

const REFERENCE = /\$\{([A-Za-z][A-Za-z0-9_.-]*):([^}]*)\}/g;

export interface ResolveDeps {
  env: Record<string, string | undefined>;
  readFile: (path: string) => Promise<string> | string;
}

export function hasReference(value: string): boolean {
  REFERENCE.lastIndex = 0;
  return REFERENCE.test(value);
}

/** True when any value of the map contains a reference. */
export function hasReferences(map: Record<string, string>): boolean {
  return Object.values(map).some(hasReference);
}

interface Ref {
  text: string;
  provider: string;
  body: string;
}

function splitPathKey(body: string): { path: string; key: string } | undefined {
  const at = body.lastIndexOf(':');
  if (at <= 0 || at === body.length - 1) return undefined;
  return { path: body.slice(0, at), key: body.slice(at + 1) };
}

class Resolver {
  private readonly files = new Map<string, Promise<string>>();
  constructor(private readonly deps: ResolveDeps) {}

  private read(path: string, configKey: string, ref: string): Promise<string> {
    let text = this.files.get(path);
    if (text === undefined) {
      text = Promise.resolve()
        .then(() => this.deps.readFile(path))
        .catch((error: unknown) => {
          const cause = fileReadError(path, error, 'file');
          const reason = cause instanceof NotFoundError ? `file "${path}" does not exist` : cause.message.replace(/^cannot read (file ".*"): (.*)$/, '$1 cannot be read ($2)');
          throw new InvalidConfigError(`config "${configKey}" refers to ${ref}, but ${reason}`, {
            suggestion: 'Create the file or correct the path in the reference.',
            cause,
            context: { key: configKey, reference: ref },
          });
        });
      this.files.set(path, text);
    }
    return text;
  }

  async resolve(configKey: string, ref: Ref): Promise<string> {
    const fail = (reason: string, suggestion: string): never => {
      throw new InvalidConfigError(`config "${configKey}" refers to ${ref.text}, but ${reason}`, {
        suggestion,
        context: { key: configKey, reference: ref.text },
      });
    };
    if (ref.provider === 'env') {
      const name = ref.body.startsWith(':') ? ref.body.slice(1) : ref.body;
      if (name === '') fail('no variable name is given', 'Write it as `${env:NAME}`.');
      const value = Object.hasOwn(this.deps.env, name) ? this.deps.env[name] : undefined;
      if (value === undefined) fail(`environment variable ${name} is not set`, `Set ${name} in the environment clink runs in.`);
      return value as string;
    }
    if (ref.provider === 'file' || ref.provider === 'dir') {
      const parts = splitPathKey(ref.body);
      const shape = ref.provider === 'file' ? '${file:/path/to/file.properties:key}' : '${dir:/path/to/dir:file}';
      if (parts === undefined) return fail('it has no path and key', `Write it as \`${shape}\`.`);
      if (ref.provider === 'dir') {
        const sep = parts.path.endsWith('/') || parts.path.endsWith('\\') ? '' : '/';
        if (/[/\\]/.test(parts.key) || parts.key === '..') fail('the file name must not contain a path', `Write it as \`${shape}\`.`);
        return this.read(`${parts.path}${sep}${parts.key}`, configKey, ref.text);
      }
      const text = await this.read(parts.path, configKey, ref.text);
      let values: Record<string, string>;
      try {
        values = parsePropertiesDetailed(text, { source: parts.path }).values;
      } catch (error) {
        const detail = (error as Error).message.replace(/^invalid properties file "[^"]*": /, '');
        return fail(`file "${parts.path}" is not a valid properties file (${detail})`, "Fix the file so that Kafka's own tools can read it.");
      }
      const value = values[parts.key];
      if (value === undefined) fail(`file "${parts.path}" has no key "${parts.key}"`, `Add \`${parts.key}=…\` to "${parts.path}".`);
      return value as string;
    }
    return fail(`config provider "${ref.provider}" is not supported`, 'Use `${env:NAME}`, `${file:/path:key}` or `${dir:/path:file}`.');
  }

  async resolveValue(configKey: string, value: string): Promise<string> {
    const refs = [...value.matchAll(REFERENCE)].map((m) => ({ text: m[0], provider: m[1] as string, body: m[2] as string, at: m.index }));
    if (refs.length === 0) return value;
    const resolved = await Promise.all(refs.map((ref) => this.resolve(configKey, ref)));
    let out = '';
    let last = 0;
    refs.forEach((ref, i) => {
      out += value.slice(last, ref.at) + (resolved[i] as string);
      last = ref.at + ref.text.length;
    });
    return out + value.slice(last);
  }
}

/** Returns a copy of `map` with every reference replaced by what it points to. */
export async function resolveReferences(map: Record<string, string>, deps: ResolveDeps): Promise<Record<string, string>> {
  const resolver = new Resolver(deps);
  const out: Array<[string, string]> = [];
  for (const [key, value] of Object.entries(map)) out.push([key, await resolver.resolveValue(key, value)]);
  return Object.fromEntries(out);
}

/** Resolves the references in one value. */
export function resolveValue(configKey: string, value: string, deps: ResolveDeps): Promise<string> {
  return new Resolver(deps).resolveValue(configKey, value);
}
