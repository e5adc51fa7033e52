import { describe, expect, it } from 'vitest';
import type { LinkRecord } from '../model/link.js';
import type { MirrorRecord } from '../model/mirror.js';
import type { AclBindingLike } from '../filters.js';
import type { AclReaderPort, ClusterEndpoint, StoreData } from '../ports.js';
import { liveMirrorWriters, writersWarning } from './mirror-writers.js';

const mirror = (topic: string, desiredState: MirrorRecord['desiredState'], reversed = false): MirrorRecord => ({
  link: 'dr-link', mirrorTopic: topic, sourceTopic: topic, desiredState, partitions: 1, configOverrides: {}, createdAt: '', stateChangedAtMs: 0, ...(reversed ? { reversed } : {}),
});
const link = { name: 'dr-link', destination: 'dr', sourceBootstrapServers: 'src:9092', sourceClientConfig: {}, configs: {} } as unknown as LinkRecord;
const data = { clusters: { dr: { name: 'dr', bootstrapServers: 'dr:9092', clientConfig: {}, createdAt: '' } }, links: {}, mirrors: {} } as unknown as StoreData;
const acl = (principal: string, resourceName: string, over: Partial<AclBindingLike> = {}): AclBindingLike => ({
  resourceType: 'TOPIC', principal, operation: 'WRITE', patternType: 'LITERAL', resourceName, host: '*', permissionType: 'ALLOW', ...over,
});

/** A fake ACL reader answering with fixed TOPIC ACLs: pure logic only (the real one is tested against the SASL brokers). */
function reader(acls: AclBindingLike[] | undefined, own = 'User:clink'): AclReaderPort & { calls: number } {
  const fake = {
    calls: 0,
    principalOf: (_e: ClusterEndpoint) => own,
    topicAcls: async () => {
      fake.calls++;
      return acls;
    },
  };
  return fake;
}

describe('liveMirrorWriters', () => {
  it('finds writers of ACTIVE/PAUSED mirrors in the link direction only, in one ACL read, leaving out the link principal', async () => {
    const acls = reader([
      acl('User:clink', 'orders'),
      acl('User:alice', 'orders'),
      acl('User:bob', 'ord', { patternType: 'PREFIXED', operation: 'ALL' }),
      acl('User:carol', 'ord'), // LITERAL "ord" covers no mirror here
      acl('User:dave', 'orders', { operation: 'READ' }),
      acl('User:erin', '*'),
      acl('User:erin', 'ordinals', { permissionType: 'DENY' }), // denied on ordinals only
      acl('User:frank', 'old'),
    ]);
    const found = await liveMirrorWriters(data, link, [mirror('orders', 'ACTIVE'), mirror('ordinals', 'PAUSED'), mirror('old', 'STOPPED'), mirror('back', 'ACTIVE', true)], acls);
    expect(acls.calls).toBe(1);
    expect([...found.keys()].sort()).toEqual(['orders', 'ordinals']);
    expect(found.get('orders')?.map((w) => w.principal)).toEqual(['User:alice', 'User:bob', 'User:erin']);
    expect(found.get('ordinals')?.map((w) => w.principal)).toEqual(['User:bob']);
  });

  it('says nothing when the ACLs cannot be read or nothing is live', async () => {
    expect((await liveMirrorWriters(data, link, [mirror('orders', 'ACTIVE')], reader(undefined))).size).toBe(0);
    const acls = reader([acl('User:alice', '*')]);
    expect((await liveMirrorWriters(data, link, [mirror('orders', 'STOPPED')], acls)).size).toBe(0);
    expect(acls.calls).toBe(0);
  });

  it('words the warning with each ACL', () => {
    expect(writersWarning('orders', 'dr-link', [acl('User:alice', 'orders'), acl('User:bob', '*', { operation: 'ALL', host: '10.0.0.1' })])).toBe(
      'Warning: mirror topic "orders" of cluster link "dr-link" is read-only until failover or promote, but the destination\'s ACLs let ' +
        'User:alice (ALLOW WRITE on TOPIC orders, LITERAL), User:bob (ALLOW ALL on TOPIC *, LITERAL from host 10.0.0.1) write to it; ' +
        'a write there makes the mirror diverge from its source and stops its partition. Remove these ACLs until the mirror is failed over or promoted ' +
        '(with acl.sync.enable=true clink creates synced WRITE ACLs at failover).',
    );
  });
});
