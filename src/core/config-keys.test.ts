import { describe, expect, it } from 'vitest';
import { CLIENT_CONFIG_KEYS, isClientConfigKey, isLocalClientConfigKey } from './config-keys.js';
import { LINK_CONFIG_DEFS } from './link-config-registry.js';

describe('config key classes', () => {
  it('never classifies a link config as a client config', () => {
    for (const def of LINK_CONFIG_DEFS) {
      expect(isClientConfigKey(def.name)).toBe(false);
      expect(isLocalClientConfigKey(def.name)).toBe(false);
    }
  });

  it('recognises local.* forms of client configs and local.listener only', () => {
    expect(isLocalClientConfigKey('local.sasl.jaas.config')).toBe(true);
    expect(isLocalClientConfigKey('local.listener')).toBe(true);
    expect(isLocalClientConfigKey('local.acl.sync.enable')).toBe(false);
    expect(isLocalClientConfigKey('sasl.jaas.config')).toBe(false);
  });

  it('has no duplicate client keys', () => {
    expect(new Set(CLIENT_CONFIG_KEYS).size).toBe(CLIENT_CONFIG_KEYS.length);
  });
});
