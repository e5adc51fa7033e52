/**
 * `npm run demo` works end to end: it starts its own two clusters, runs the walkthrough, exits 0,
 * and never prints the source password.
 */
import { describe, expect, it } from 'vitest';
import { execa } from 'execa';
import path from 'node:path';
import { repoRoot } from '../helpers/run-clink.js';
import { getClusters } from '../helpers/kafka.js';

describe('npm run demo', () => {
  it('runs the walkthrough against two fresh local clusters', async () => {
    getClusters(); // fails with the harness's message when Java or Maven is missing
    const result = await execa(process.execPath, [path.join(repoRoot, 'dist', 'demo', 'run.js')], { reject: false, timeout: 170_000 });
    expect(result.stderr).toBe('');
    expect(result.exitCode).toBe(0);
    const out = String(result.stdout);
    expect(out).toContain('$ clink link create dr-link --config-file dr-link.config\nCreated cluster link "dr-link" with configs:');
    expect(out).toMatch(/\| State +\| ACTIVE +\|/);
    expect(out).toContain('Error: unknown link config "consumer.offset.sync.enabel"');
    expect(out).toContain('Demo finished');
    expect(out).not.toContain('alice-secret');
  }, 180_000);
});
