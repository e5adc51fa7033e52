/**
 * docs/monitoring/: Prometheus accepts the alert rules (`promtool check rules`), they fire as meant on
 * made-up series (`promtool test rules`), every dashboard query is valid PromQL, and every clink_
 * metric the dashboard, the rules and docs/monitoring.md name is one the worker serves (and the other
 * way round). promtool missing → fails saying what to install.
 */
import { describe, expect, it } from 'vitest';
import { execa } from 'execa';
import fs from 'node:fs';
import path from 'node:path';
import { repoRoot, tempDir } from '../helpers/run-clink.js';
import { prometheusTool } from '../helpers/prometheus.js';

const docs = path.join(repoRoot, 'docs', 'monitoring');
const RULES = path.join(docs, 'clink-alerts.yml');
const DASHBOARD = path.join(docs, 'clink-dashboard.json');

async function promtool(args: string[]): Promise<void> {
  const r = await execa(prometheusTool('promtool'), args, { reject: false, all: true, cwd: repoRoot });
  expect(r.exitCode, `promtool ${args.join(' ')} exited ${r.exitCode}:\n${r.all}`).toBe(0);
}

/** Names of the clink_ metrics src/http/metrics.ts registers (histograms add _bucket/_sum/_count). */
function servedMetrics(): Set<string> {
  const source = fs.readFileSync(path.join(repoRoot, 'src', 'http', 'metrics.ts'), 'utf8');
  const names = [...source.matchAll(/'(clink_[a-z_]+)'/g)].map((m) => m[1]!);
  return new Set(names.flatMap((n) => (n.endsWith('_seconds') && source.includes(`new Histogram({ name: '${n}'`) ? [n, `${n}_bucket`, `${n}_sum`, `${n}_count`] : [n])));
}

const named = (text: string) => new Set([...text.matchAll(/\b(clink_[a-z_]+)/g)].map((m) => m[1]!));

describe('docs/monitoring', () => {
  it('has alert rules promtool accepts and that fire as meant', async () => {
    await promtool(['check', 'rules', RULES]);
    await promtool(['test', 'rules', path.join('test', 'fixtures', 'monitoring', 'clink-alerts.test.yml')]);
    const rules = fs.readFileSync(RULES, 'utf8');
    for (const alert of ['ClinkMirrorMaxLagHigh', 'ClinkMirrorLagAboveRPO', 'ClinkPartitionFailed', 'ClinkOffsetSyncStale', 'ClinkWorkerDown']) expect(rules).toContain(`alert: ${alert}`);
  });

  it('has a Grafana dashboard whose queries are valid PromQL over metrics the worker serves', async () => {
    const dashboard = JSON.parse(fs.readFileSync(DASHBOARD, 'utf8')) as { panels: Array<{ title: string; targets: Array<{ expr: string }> }> };
    const exprs = dashboard.panels.flatMap((p) => p.targets.map((t) => ({ title: p.title, expr: t.expr.replaceAll('$link', '.*') })));
    expect(exprs.length).toBeGreaterThan(10);
    // promtool has no "check this expression": recording rules are parsed with the same PromQL parser.
    const file = path.join(tempDir('clink-dashboard-'), 'dashboard-exprs.yml');
    fs.writeFileSync(file, ['groups:', '  - name: dashboard', '    rules:', ...exprs.flatMap((e, i) => [`      - record: clink_dashboard_panel_${i}`, `        expr: ${JSON.stringify(e.expr)}`])].join('\n') + '\n');
    await promtool(['check', 'rules', file]);
    const served = servedMetrics();
    for (const { title, expr } of exprs) for (const metric of named(expr)) expect(served, `panel "${title}" uses ${metric}`).toContain(metric);
  });

  it('names in the rules and docs/monitoring.md only metrics the worker serves, and documents every one', () => {
    const served = servedMetrics();
    for (const metric of named(fs.readFileSync(RULES, 'utf8'))) expect(served, `clink-alerts.yml uses ${metric}`).toContain(metric);
    const doc = fs.readFileSync(path.join(repoRoot, 'docs', 'monitoring.md'), 'utf8');
    for (const metric of named(doc)) expect(served, `docs/monitoring.md names ${metric}`).toContain(metric);
    for (const metric of served) if (!/_(bucket|sum|count)$/.test(metric)) expect(doc, `docs/monitoring.md does not explain ${metric}`).toContain(`\`${metric}\``);
  });
});
