/**
 * The CLI shell itself: help, version, unknown commands, usage errors and the machine-readable
 * error shape. Golden files hold the exact stdout/stderr; exit codes follow docs/exit-codes.md.
 */
import { describe, expect, it } from 'vitest';
import fs from 'node:fs';
import path from 'node:path';
import { clinkHome, repoRoot } from '../helpers/run-clink.js';

const home = clinkHome();
const golden = (name: string) => path.join(repoRoot, 'test', 'fixtures', 'output', 'shell', name);

describe('clink shell', () => {
  it('prints help with every command group', async () => {
    const r = await home.run(['--help']);
    expect(r.exitCode).toBe(0);
    expect(r.stderr).toBe('');
    await expect(r.stdout).toMatchFileSnapshot(golden('help.golden'));
  });

  it('prints the version from package.json', async () => {
    const r = await home.run(['--version']);
    const pkg = JSON.parse(fs.readFileSync(path.join(repoRoot, 'package.json'), 'utf8')) as { version: string };
    expect(r.exitCode).toBe(0);
    expect(r.stdout).toBe(`${pkg.version}\n`);
  });

  it('rejects an unknown command with exit 2 and a suggestion', async () => {
    const r = await home.run(['frobnicate']);
    expect(r.exitCode).toBe(2);
    expect(r.stdout).toBe('');
    await expect(r.stderr).toMatchFileSnapshot(golden('unknown-command.golden'));
  });

  it('suggests the closest command for a typo', async () => {
    const r = await home.run(['lnk']);
    expect(r.exitCode).toBe(2);
    expect(r.stderr).toMatch(/^Error: unknown command 'lnk'/);
    expect(r.stderr).toContain('link');
  });

  it('renders errors as JSON on stderr with -o json', async () => {
    const r = await home.run(['-o', 'json', 'frobnicate']);
    expect(r.exitCode).toBe(2);
    expect(r.stdout).toBe('');
    const parsed = JSON.parse(r.stderr) as { error: { code: string; message: string; suggestion?: string; exit_code: number } };
    expect(parsed).toEqual({
      error: {
        code: 'USAGE',
        message: "unknown command 'frobnicate'",
        suggestion: 'Run `clink --help` to see the available commands.',
        exit_code: 2,
      },
    });
  });

  it('renders errors as YAML on stderr with -o yaml, also when -o comes after the command', async () => {
    const r = await home.run(['cluster', 'describe', 'nope', '-o', 'yaml']);
    expect(r.exitCode).toBe(4);
    await expect(r.stderr).toMatchFileSnapshot(golden('not-found.yaml.golden'));
  });

  it('rejects an invalid output format', async () => {
    const r = await home.run(['-o', 'xml', 'cluster', 'list']);
    expect(r.exitCode).toBe(2);
    expect(r.stderr).toContain("Error: option '-o, --output <format>' argument 'xml' is invalid");
  });

  it('rejects a missing argument with exit 2', async () => {
    const r = await home.run(['completion']);
    expect(r.exitCode).toBe(2);
    await expect(r.stderr).toMatchFileSnapshot(golden('missing-argument.golden'));
  });

  it('never colours output off a terminal', async () => {
    const r = await home.run(['cluster', 'describe', 'nope'], { env: { NO_COLOR: '', FORCE_COLOR: '' } });
    expect(r.stderr).not.toMatch(/\u001b\[/);
  });
});
