import tls from 'node:tls';
import { describe, expect, it } from 'vitest';
import { certificatesPem, isCertificate, isPrivateKey, pemBlocks } from './pem.js';

/** Self-signed test material (CN=clink-test, P-256), generated with openssl for tests only. */
export const TEST_CERT = "-----BEGIN CERTIFICATE-----\nMIIBgTCCASegAwIBAgIUMkQWj0xthYUazbtQIKynmMn43rIwCgYIKoZIzj0EAwIw\nFTETMBEGA1UEAwwKY2xpbmstdGVzdDAgFw0yNjExMjIwMjMxMjhaGA8yMTI2MTAy\nOTAyMzEyOFowFTETMBEGA1UEAwwKY2xpbmstdGVzdDBZMBMGByqGSM49AgEGCCqG\nSM49AwEHA0IABPnY6gI1mnyvJnX82KMU2H9EhVE4MDqko/Ib7AAwI/2TX9kWZYRZ\n+Zl4g9uuFw13nBjAqbexBUfh6+yy5/8XonajUzBRMB0GA1UdDgQWBBSWsvZk0guG\ns1Cf4g9N+pDBidqGJzAfBgNVHSMEGDAWgBSWsvZk0guGs1Cf4g9N+pDBidqGJzAP\nBgNVHRMBAf8EBTADAQH/MAoGCCqGSM49BAMCA0gAMEUCICQopvcJg3SJ/l4B25iY\noJ9fk3mDXAWCnpOT+rwmLOHZAiEA43wPrH9ddPbDv3eiApz09mm0dwb26KLVm+Mj\ncE8SZnc=\n-----END CERTIFICATE-----\n";
export const TEST_KEY = "-----BEGIN PRIVATE KEY-----\nMIGHAgEAMBMGByqGSM49AgEGCCqGSM49AwEHBG0wawIBAQQgME104kPelEgzE/b9\naOqVF7Ea7eTn6z3jWsf35AxL2PihRANCAAT52OoCNZp8ryZ1/NijFNh/RIVRODA6\npKPyG+wAMCP9k1/ZFmWEWfmZeIPbrhcNd5wYwKm3sQVH4evssuf/F6J2\n-----END PRIVATE KEY-----\n";
/** TEST_KEY encrypted as PKCS#8 with the passphrase `changeit`. */
export const TEST_KEY_ENCRYPTED = "-----BEGIN ENCRYPTED PRIVATE KEY-----\nMIHsMFcGCSqGSIb3DQEFDTBKMCkGCSqGSIb3DQEFDDAcBAj4Q8JOfx7XzgICCAAw\nDAYIKoZIhvcNAgkFADAdBglghkgBZQMEASoEEPy3T0ok51yLs+7cZg1ntXcEgZDm\nGs0pkYgoSf2/MC+a6EDL75FyXVkHI/5HXKjIUnZXWdBrx1IXfSeTuD9ZyE9EY4RA\ncbV4x19YhbGd72WnuCei3PVq2gHmrrekVe9y81RKWAkkNe5k55tQwe/T10whphca\n4bNMyAUTgahMYfzYbcE++DiJ2QTMfrOeiTBmX+AF7DFP2Lo380srjCCjujBspK8=\n-----END ENCRYPTED PRIVATE KEY-----\n";

/** A PEM value as operators write it on one properties line: continuations drop the line breaks. */
const oneLine = (pem: string): string => pem.replace(/\n/g, ' ').trim();

describe('pemBlocks', () => {
  it('finds certificates and keys, ignoring text around them', () => {
    const blocks = pemBlocks(`Bag Attributes\n friendlyName: ca\n${TEST_CERT}junk\n${TEST_KEY_ENCRYPTED}`);
    expect(blocks.map((b) => [b.label, b.encrypted])).toEqual([
      ['CERTIFICATE', false],
      ['ENCRYPTED PRIVATE KEY', true],
    ]);
    expect(isCertificate(blocks[0]!)).toBe(true);
    expect(isPrivateKey(blocks[1]!)).toBe(true);
  });

  it('re-wraps a PEM written on one line into the canonical form', () => {
    expect(pemBlocks(oneLine(TEST_CERT))[0]?.pem).toBe(TEST_CERT);
    expect(pemBlocks(TEST_KEY.replace(/\n(?!-----END)/g, '\n   '))[0]?.pem).toBe(TEST_KEY);
  });

  it('keeps blocks with legacy encryption headers as they are', () => {
    const legacy = '-----BEGIN RSA PRIVATE KEY-----\nProc-Type: 4,ENCRYPTED\nDEK-Info: AES-128-CBC,00\n\nAAAA\n-----END RSA PRIVATE KEY-----';
    const [block] = pemBlocks(legacy);
    expect(block?.pem).toBe(`${legacy}\n`);
    expect(block?.encrypted).toBe(true);
  });

  it('returns nothing for text without complete blocks', () => {
    expect(pemBlocks('not a pem')).toEqual([]);
    expect(pemBlocks('-----BEGIN CERTIFICATE-----\nAAAA\n-----END PRIVATE KEY-----')).toEqual([]);
  });

  it('produces material that Node TLS accepts', () => {
    const ca = certificatesPem(`${oneLine(TEST_CERT)} ${TEST_KEY}`);
    expect(ca).toBe(TEST_CERT);
    const key = pemBlocks(oneLine(TEST_KEY_ENCRYPTED))[0]!.pem;
    expect(() => tls.createSecureContext({ ca, cert: ca, key, passphrase: 'changeit' })).not.toThrow();
    expect(() => tls.createSecureContext({ cert: ca, key, passphrase: 'wrong' })).toThrow();
  });
});
