/** Option parsers shared by several commands. */

/** Collects repeated `--config` flags in order. */
export function collectConfig(value: string, previous: string[]): string[] {
  return [...previous, value];
}

/** `--watch [seconds]` of the read commands (mirror list, mirror describe). */
export const WATCH_FLAGS = '--watch [seconds]';
export const WATCH_HELP = 'Refresh every <seconds> (default 2) until Ctrl-C: redrawn in place on a terminal; with -o json one JSON document per line, with -o yaml one document per interval.';
