/** `clink mirror pause <mirror-topic...> --link <link>`: stop fetching into the mirrors; they stay read-only mirrors. */
import type { Command } from 'commander';
import { buildMirrorAlterCommand } from './alter.js';

export function buildMirrorPauseCommand(): Command {
  return buildMirrorAlterCommand(
    'pause',
    'Pause mirror topics.',
    'If set, does not actually pause the mirror topic, but simply validates it.',
    'clink mirror pause orders payments --link dr-link',
  );
}
