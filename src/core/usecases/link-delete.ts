/**
 * `link delete`: every named link must exist before anything is asked or deleted; deletion of all
 * names happens in one store update, so either all go or none.
 */
import { linkNotFound } from './link-query.js';
import type { LinkDeps } from './link-ports.js';

/** Checks the names and returns them de-duplicated, in the given order; throws when any is missing. */
export async function checkLinksExist(names: string[], deps: Pick<LinkDeps, 'store'>): Promise<string[]> {
  const data = await deps.store.read();
  const unique = [...new Set(names)];
  const missing = unique.filter((n) => !data.links[n]);
  if (missing.length > 0) throw linkNotFound(missing);
  return unique;
}

export async function deleteLinks(names: string[], deps: Pick<LinkDeps, 'store'>): Promise<void> {
  await deps.store.update((data) => {
    const missing = names.filter((n) => !data.links[n]);
    if (missing.length > 0) throw linkNotFound(missing);
    for (const name of names) delete data.links[name];
  });
}

/** `"a"`, `"a" and "b"`, `"a", "b", and "c"`: Confluent's list of names in messages. */
export function quoteNames(names: string[]): string {
  const quoted = names.map((n) => `"${n}"`);
  if (quoted.length <= 2) return quoted.join(' and ');
  return `${quoted.slice(0, -1).join(', ')}, and ${quoted.at(-1)}`;
}
