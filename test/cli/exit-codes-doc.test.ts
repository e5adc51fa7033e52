/** docs/exit-codes.md must describe exactly the exit-code table the code uses. */
import { describe, expect, it } from 'vitest';
import fs from 'node:fs';
import path from 'node:path';
import { ErrorCode } from '../../src/core/errors.js';
import { exitCodeFor } from '../../src/cli/errors/exit-codes.js';
import { repoRoot } from '../helpers/run-clink.js';

describe('docs/exit-codes.md', () => {
  const doc = fs.readFileSync(path.join(repoRoot, 'docs', 'exit-codes.md'), 'utf8');
  const rows = new Map<string, number>();
  for (const line of doc.split('\n')) {
    const m = /^\|\s*(\d+)\s*\|[^|]*\|([^|]*)\|/.exec(line);
    if (!m) continue;
    for (const code of m[2]!.matchAll(/`([A-Z_]+)`/g)) rows.set(code[1]!, Number(m[1]));
  }

  it.each(Object.values(ErrorCode))('documents %s with the exit code the CLI uses', (code) => {
    expect(rows.get(code)).toBe(exitCodeFor(code));
  });
});
