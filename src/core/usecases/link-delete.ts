/**
 * `link delete`: every named link must exist before anything is asked or deleted; deletion of all
 * names happens in one store update, so either all go or none.
 */
import { ConflictError } from '../errors.js';
import { linkNotFound } from './link-query.js';
import type { LinkDeps } from './link-ports.js';
import { autoMirrors } from './mirror-auto.js';

/** Checks the names and returns them de-duplicated, in the given order; throws when any is missing. */
export async function checkLinksExist(names: string[], deps: Pick<LinkDeps, 'store'>): Promise<string[]> {
  const data = await deps.store.read();
  const unique = [...new Set(names)];
  const missing = unique.filter((n) => !data.links[n]);
  if (missing.length > 0) throw linkNotFound(missing);
  return unique;
}

/**
 * Deletes the links and the records of their mirror topics (the topics themselves stay on the
 * destination). Refused while a link has mirrors that are not STOPPED, unless forced: deleting the
 * link ends their mirroring without a failover. A link's worker stops by itself once its link is gone.
 */
export async function deleteLinks(names: string[], force: boolean, deps: Pick<LinkDeps, 'store' | 'workers'>): Promise<void> {
  // Mirrors the link's worker created itself (auto-create) are live mirrors too.
  const statuses = new Map(await Promise.all(names.map(async (n) => [n, await deps.workers?.readStatus(n)] as const)));
  await deps.store.update((data) => {
    const missing = names.filter((n) => !data.links[n]);
    if (missing.length > 0) throw linkNotFound(missing);
    const mirrors = Object.entries(data.mirrors ?? {}).filter(([, m]) => names.includes(m.link));
    const auto = names.flatMap((n) => autoMirrors(data, n, statuses.get(n)));
    const live = [...mirrors.map(([, m]) => m), ...auto].filter((m) => m.desiredState !== 'STOPPED').map((m) => `"${m.mirrorTopic}"`);
    if (live.length > 0 && !force) {
      throw new ConflictError(`cannot delete ${names.length > 1 ? 'cluster links that have' : 'a cluster link that has'} mirror topics that are not stopped: ${live.join(', ')}`, {
        suggestion: 'Fail over or promote them first (`clink mirror failover <topic> --link <link>`), or pass `--force` to delete anyway.',
      });
    }
    for (const [key] of mirrors) delete data.mirrors[key];
    for (const name of names) delete data.links[name];
  });
}

/** `"a"`, `"a" and "b"`, `"a", "b", and "c"`: Confluent's list of names in messages. */
export function quoteNames(names: string[]): string {
  const quoted = names.map((n) => `"${n}"`);
  if (quoted.length <= 2) return quoted.join(' and ');
  return `${quoted.slice(0, -1).join(', ')}, and ${quoted.at(-1)}`;
}
