/**
 * Deleting a mirror topic (what `clink apply --prune` does to mirrors the spec no longer lists): as in
 * Confluent, deleting a mirror deletes its topic. The record goes first, so the link's worker stops
 * appending to the topic before it disappears; then the topic on the mirror's destination end.
 */
import { mirrorKey } from '../model/mirror.js';
import { mirrorEnds } from '../link-direction.js';
import { requireLink } from './link-query.js';
import { mirrorNotFound } from './mirror-query.js';
import type { MirrorDeps } from './mirror-ports.js';

export async function deleteMirror(topic: string, linkName: string, deps: MirrorDeps): Promise<void> {
  const data = await deps.store.read();
  const link = requireLink(data, linkName);
  const mirror = data.mirrors[mirrorKey(link.name, topic)];
  if (!mirror) throw mirrorNotFound(topic, link.name);
  const { destination } = mirrorEnds(data, link, mirror);
  await deps.store.update((d) => {
    delete d.mirrors[mirrorKey(link.name, topic)];
  });
  if (await deps.topics.describeTopic(destination, topic)) await deps.topics.deleteTopic(destination, topic);
}
