/** `clink mirror resume <mirror-topic...> --link <link>`: continue copying paused mirrors from where they stopped. */
import type { Command } from 'commander';
import { buildMirrorAlterCommand } from './alter.js';

export function buildMirrorResumeCommand(): Command {
  return buildMirrorAlterCommand(
    'resume',
    'Resume mirror topics.',
    'If set, does not actually resume the mirror topic, but simply validates it.',
    'clink mirror resume orders --link dr-link',
  );
}
