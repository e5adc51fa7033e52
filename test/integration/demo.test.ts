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
    const result = await execa(process.execPath, [path.join(repoRoot, 'dist', 'demo', 'run.js')], { reject: false, timeout: 170_000, env: { ...process.env, CLINK_CONFIG_DIR: '', CLINK_STATE_DIR: '' } });
    expect(result.stderr).toBe('');
    expect(result.exitCode).toBe(0);
    const out = String(result.stdout);
    expect(out).toContain('$ clink link create dr-link --config-file dr-link.config\nCreated cluster link "dr-link" with configs:');
    expect(out).toMatch(/\| State +\| ACTIVE +\|/);
    expect(out).toContain('consumed on the source as cli-consumer: 1 2 3 4 5');
    expect(out).toContain('consumed on the DR cluster as cli-consumer: 6 7 8 9 10 11 12 13 14 15');
    expect(out).toMatch(/dr-topic +\| +0 \| identical/);
    expect(out).toContain('mirror_status: ACTIVE, mirror_lags: [{"partition":0,"lag":0');
    expect(out).toMatch(/clink_mirror_topic_max_lag_records\{[^}]*topic="dr-topic"[^}]*\} 0/);
    expect(out).toContain('Error: mirror topic "dr-topic" is STOPPED and cannot be failed over');
    expect(out).toContain('clusterlink/orders-link created\nmirrortopic/orders-link/orders created');
    expect(out).toContain('mirrortopic/orders-link/orders configured (ACTIVE -> FAILOVER)');
    expect(out).toContain('Demo finished');
    expect(out).not.toContain('admin-secret');
  }, 180_000);
});
