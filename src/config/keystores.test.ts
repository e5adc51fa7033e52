/**
 * PKCS12 and JKS stores as openssl and keytool make them (createTestPki), read back to PEM: the
 * same CA and client certificate as the PEM files; wrong passwords and wrong formats are refused.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { X509Certificate, createPrivateKey } from 'node:crypto';
import { createTestPki, type TestPki } from '../local-kafka/test-pki.js';
import { StoreError, readJks, readPkcs12, sniffStoreType } from './keystores.js';

let pki: TestPki;
const fingerprint = (pem: string): string => new X509Certificate(pem).fingerprint256;

beforeAll(async () => {
  pki = await createTestPki(join(mkdtempSync(join(tmpdir(), 'clink-keystores-')), 'pki'));
}, 120_000);

const errorOf = (f: () => unknown): StoreError => {
  try {
    f();
  } catch (error) {
    expect(error).toBeInstanceOf(StoreError);
    return error as StoreError;
  }
  throw new Error('expected a StoreError');
};

describe('Java key stores', () => {
  it('sniffs PEM, PKCS12 and JKS', () => {
    expect(sniffStoreType(readFileSync(pki.caPem))).toBe('PEM');
    expect(sniffStoreType(readFileSync(pki.client.p12))).toBe('PKCS12');
    expect(sniffStoreType(readFileSync(pki.client.jks))).toBe('JKS');
    expect(sniffStoreType(Buffer.from('hello'))).toBeUndefined();
  });

  it('reads the client key and chain from PKCS12 and JKS, identical to the PEM files', () => {
    const clientCert = fingerprint(readFileSync(join(pki.dir, 'client.pem'), 'utf8'));
    const keyDer = createPrivateKey(readFileSync(join(pki.dir, 'client.key'))).export({ type: 'pkcs8', format: 'der' });
    const p12 = readPkcs12(readFileSync(pki.client.p12), pki.client.storePassword);
    const jks = readJks(readFileSync(pki.client.jks), pki.client.storePassword, undefined);
    for (const store of [p12, jks]) {
      expect(store.keys).toHaveLength(1);
      expect(fingerprint(store.keys[0]!.chain[0]!)).toBe(clientCert);
      expect(createPrivateKey(store.keys[0]!.key).export({ type: 'pkcs8', format: 'der' }).equals(keyDer)).toBe(true);
    }
  });

  it('reads the CA from PKCS12 and JKS trust stores made by keytool', () => {
    const ca = fingerprint(readFileSync(pki.caPem, 'utf8'));
    expect(readPkcs12(readFileSync(pki.client.truststoreP12), pki.client.storePassword).certificates.map(fingerprint)).toEqual([ca]);
    expect(readJks(readFileSync(pki.client.truststoreJks), pki.client.storePassword, undefined).certificates.map(fingerprint)).toEqual([ca]);
    // A JKS trust store may be read without its password (no integrity check), as Java does.
    expect(readJks(readFileSync(pki.client.truststoreJks), undefined, undefined).certificates.map(fingerprint)).toEqual([ca]);
  });

  it('refuses a wrong password without echoing it, and a file of another format', () => {
    const wrong = 'Wrong-Password-42';
    const p12 = errorOf(() => readPkcs12(readFileSync(pki.client.p12), wrong));
    expect(p12.kind).toBe('password');
    expect(p12.message).not.toContain(wrong);
    const jks = errorOf(() => readJks(readFileSync(pki.client.jks), wrong, undefined));
    expect(jks.kind).toBe('password');
    expect(errorOf(() => readJks(readFileSync(pki.client.jks), pki.client.storePassword, wrong)).message).toMatch(/key password/);
    expect(errorOf(() => readJks(readFileSync(pki.client.p12), 'x', undefined)).kind).toBe('format');
    expect(errorOf(() => readPkcs12(readFileSync(pki.caPem), 'x')).kind).toBe('format');
  });
});
