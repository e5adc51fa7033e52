import { describe, expect, it } from 'vitest';
import { renderServerProperties } from './config-files.js';

const tls = { keystore: '/k/broker.p12', expiredKeystore: '/k/expired.p12', keystorePassword: 'pw', truststorePem: '/k/ca.pem', clientDn: 'CN=clink-client' };
const props = (text: string): Record<string, string> =>
  Object.fromEntries(text.trim().split('\n').map((l) => [l.slice(0, l.indexOf('=')), l.slice(l.indexOf('=') + 1)]));

describe('renderServerProperties security flavours', () => {
  it('puts every secure listener on one broker, TLS ones advertised as localhost', () => {
    const p = props(renderServerProperties({
      flavour: 'secure', dataDir: '/d', tls,
      ports: { broker: 1, controller: 2, sasl: 3, secure: { SSL: 4, MTLS: 5, EXPIRED: 6, SASL_SSL: 7 } },
    }));
    expect(p['advertised.listeners']).toBe('PLAINTEXT://127.0.0.1:1,SSL://localhost:4,MTLS://localhost:5,EXPIRED://localhost:6,SASL_SSL://localhost:7,SASL_PLAINTEXT://127.0.0.1:3');
    expect(p['listener.security.protocol.map']).toContain('MTLS:SSL');
    expect(p['listener.name.mtls.ssl.client.auth']).toBe('required');
    expect(p['listener.name.expired.ssl.keystore.location']).toBe('/k/expired.p12');
    expect(p['listener.name.sasl_ssl.sasl.enabled.mechanisms']).toBe('PLAIN,SCRAM-SHA-256,SCRAM-SHA-512');
    expect(p['listener.name.sasl_plaintext.scram-sha-512.sasl.jaas.config']).toContain('ScramLoginModule');
    expect(p['super.users']).toBe('User:admin;User:ANONYMOUS;User:CN=clink-client');
  });

  it('refuses a TLS flavour without TLS files or without a port', () => {
    expect(() => renderServerProperties({ flavour: 'ssl', dataDir: '/d', ports: { broker: 1, controller: 2, secure: { SSL: 3, EXPIRED: 4 } } })).toThrow(/needs TLS files/);
    expect(() => renderServerProperties({ flavour: 'mtls', dataDir: '/d', tls, ports: { broker: 1, controller: 2 } })).toThrow(/needs a port for its MTLS listener/);
  });

  it('keeps the sasl flavour as it was (PLAIN only, 127.0.0.1)', () => {
    const p = props(renderServerProperties({ flavour: 'sasl', dataDir: '/d', ports: { broker: 1, controller: 2, sasl: 3 } }));
    expect(p['advertised.listeners']).toBe('PLAINTEXT://127.0.0.1:1,SASL_PLAINTEXT://127.0.0.1:3');
    expect(p['sasl.enabled.mechanisms']).toBe('PLAIN');
  });
});
