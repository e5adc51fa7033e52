/** Durations on the command line: `90s`, `2m`, `1500ms`, `1h`, or a plain number of milliseconds. */
import { UsageError } from './errors.js';

const UNITS: Record<string, number> = { ms: 1, s: 1_000, m: 60_000, h: 3_600_000 };

export function parseDuration(value: string, flag = '--timeout'): number {
  const match = /^(\d+(?:\.\d+)?)(ms|s|m|h)?$/.exec(value.trim());
  if (!match) {
    throw new UsageError(`invalid duration "${value}" for ${flag}`, { suggestion: 'Use a number with a unit, for example `30s`, `2m` or `1500ms`.' });
  }
  return Math.round(Number(match[1]) * UNITS[match[2] ?? 'ms']!);
}
