/**
 * The built CLI refuses bad offset-sync and ACL-sync configs, on `link create` and on
 * `link configuration update`, before anything is stored: malformed filter JSON (with the JSON path
 * that fails), a sync enabled without filters (or with filters that select nothing), and ACL sync
 * combined with cluster.link.prefix. Invariant checked: exit 2, `Error: …` plus suggestions on
 * stderr, nothing on stdout, the config store byte-for-byte unchanged.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import fs from 'node:fs';
import path from 'node:path';
import { getClusters, type ClusterInfo } from '../helpers/kafka.js';
import { clinkHome, tempDir, type ClinkHome } from '../helpers/run-clink.js';

let destination: ClusterInfo;
const GROUPS = '{"groupFilters":[{"name":"*","patternType":"LITERAL","filterType":"INCLUDE"}]}';
const ACLS = '{"aclFilters":[{"resourceFilter":{"resourceType":"any","patternType":"any"},"accessFilter":{"operation":"any","permissionType":"any"}}]}';
const aclFilter = (resource: string, access: string) => `{"aclFilters":[{"resourceFilter":${resource},"accessFilter":${access}}]}`;

beforeAll(() => {
  ({ destination } = getClusters());
});

async function home(): Promise<ClinkHome> {
  const h = clinkHome();
  expect((await h.run(['cluster', 'add', 'dr', '--bootstrap-server', destination.bootstrap])).exitCode).toBe(0);
  return h;
}

const storeText = (h: ClinkHome): string => fs.readFileSync(path.join(h.configDir, 'config.json'), 'utf8');

function configFile(lines: string[]): string {
  const file = path.join(tempDir(), 'sync.config');
  fs.writeFileSync(file, ['bootstrap.servers=127.0.0.1:9', ...lines].join('\n') + '\n');
  return file;
}

async function expectRefused(h: ClinkHome, args: string[], message: RegExp): Promise<void> {
  const before = storeText(h);
  const r = await h.run(args);
  expect(r.stderr).toMatch(/^Error: /);
  expect(r.stderr).toMatch(message);
  expect(r.stderr).toContain('Suggestions:');
  expect(r.stdout).toBe('');
  expect(r.exitCode).toBe(2);
  expect(storeText(h)).toBe(before);
}

const createCases: Array<[string, string[], RegExp]> = [
  ['offset sync without group filters', ['consumer.offset.sync.enable=true'], /consumer\.offset\.sync\.enable is true but consumer\.offset\.group\.filters is not set/],
  ['offset sync with filters that select nothing', ['consumer.offset.sync.enable=true', 'consumer.offset.group.filters={"groupFilters":[]}'], /consumer\.offset\.group\.filters selects nothing/],
  ['a group filter with an unknown field', ['consumer.offset.sync.enable=true', 'consumer.offset.group.filters={"groupFilters":[{"name":"*","filter":"INCLUDE"}]}'], /groupFilters\[0\] has an unknown field "filter"/],
  ['group filters that are not JSON', ['consumer.offset.sync.enable=true', 'consumer.offset.group.filters={"groupFilters":[{"name":"*"}'], /consumer\.offset\.group\.filters/],
  ['ACL sync without filters', ['acl.sync.enable=true'], /acl\.sync\.enable is true but acl\.filters is not set/],
  ['an unknown ACL resource type', ['acl.sync.enable=true', `acl.filters=${aclFilter('{"resourceType":"topics","patternType":"literal"}', '{"operation":"read","permissionType":"allow"}')}`], /aclFilters\[0\]\.resourceFilter\.resourceType must be one of/],
  ['an ACL principal without its type', ['acl.sync.enable=true', `acl.filters=${aclFilter('{"resourceType":"topic","patternType":"any"}', '{"principal":"alice","operation":"read","permissionType":"allow"}')}`], /aclFilters\[0\]\.accessFilter\.principal must look like "User:<name>"/],
  ['an ACL filter without accessFilter', ['acl.sync.enable=true', 'acl.filters={"aclFilters":[{"resourceFilter":{"resourceType":"any","patternType":"any"}}]}'], /aclFilters\[0\]\.accessFilter is missing/],
  ['ACL sync together with cluster.link.prefix', ['cluster.link.prefix=dr.', 'acl.sync.enable=true', `acl.filters=${ACLS}`], /acl\.sync\.enable cannot be used together with cluster\.link\.prefix/],
];

describe('sync configs on the command line', () => {
  it.each(createCases)('link create refuses %s (exit 2) and stores nothing', async (_what, lines, message) => {
    const h = await home();
    await expectRefused(h, ['link', 'create', 'dr-link', '--no-validate', '--config-file', configFile(lines)], message);
  });

  it('link configuration update refuses the same mistakes on an existing link and changes nothing', async () => {
    const h = await home();
    expect((await h.run(['link', 'create', 'plain', '--no-validate', '--source-bootstrap-server', '127.0.0.1:9'])).exitCode).toBe(0);
    expect((await h.run(['link', 'create', 'prefixed', '--no-validate', '--source-bootstrap-server', '127.0.0.1:9', '--config', 'cluster.link.prefix=dr.'])).exitCode).toBe(0);
    await expectRefused(h, ['link', 'configuration', 'update', 'plain', '--config', 'consumer.offset.sync.enable=true'], /consumer\.offset\.group\.filters is not set/);
    await expectRefused(h, ['link', 'configuration', 'update', 'plain', '--config', 'acl.sync.enable=true'], /acl\.filters is not set/);
    await expectRefused(h, ['link', 'configuration', 'update', 'plain', '--config', 'acl.filters={"aclFilters":[{"resourceFilter":{}}]}'], /aclFilters\[0\]/);
    await expectRefused(h, ['link', 'configuration', 'update', 'prefixed', '--config', `acl.sync.enable=true,acl.filters=${ACLS}`], /acl\.sync\.enable cannot be used together with cluster\.link\.prefix/);
  });

  it('accepts both syncs with filters, and then disabling them (which clears the filters)', async () => {
    const h = await home();
    const created = await h.run(['link', 'create', 'dr-link', '--no-validate', '--config-file', configFile([
      'consumer.offset.sync.enable=true', `consumer.offset.group.filters=${GROUPS}`, 'consumer.offset.sync.ms=500',
      'acl.sync.enable=true', `acl.filters=${ACLS}`, 'acl.sync.ms=500',
    ])]);
    expect(created.stderr).toBe('');
    expect(created.exitCode).toBe(0);
    expect(created.stdout).toContain('"acl.sync.enable"="true"');
    const off = await h.run(['link', 'configuration', 'update', 'dr-link', '--config', 'acl.sync.enable=false,consumer.offset.sync.enable=false']);
    expect(off.exitCode).toBe(0);
    const store = JSON.parse(storeText(h)) as { links: Record<string, { configs: Record<string, string> }> };
    expect(store.links['dr-link']?.configs).not.toHaveProperty('acl.filters');
    expect(store.links['dr-link']?.configs).not.toHaveProperty('consumer.offset.group.filters');
  });
});
