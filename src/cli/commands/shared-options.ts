/** Option parsers shared by several commands. */

/** Collects repeated `--config` flags in order. */
export function collectConfig(value: string, previous: string[]): string[] {
  return [...previous, value];
}
