/**
 * Java key and trust stores (PKCS12 and JKS) → PEM, for Node's TLS, so operators hand clink the
 * stores their Java clients already use. PKCS12 is read with node-forge (MAC checked with the store
 * password, shrouded keys decrypted with it); JKS with jks-js (the store's keyed SHA-1 integrity
 * check, then Sun's key protector with the key password). Non-RSA material that node-forge cannot
 * model is carried over as DER, unchanged.
 * Invariants: a wrong password or a damaged file is a StoreError of kind 'password' or 'format',
 * never a partial result; nothing here reports store content or a password.
 */
import forge from 'node-forge';
import jks from 'jks-js';

export type StoreType = 'PEM' | 'PKCS12' | 'JKS';

export interface StoreContents {
  /** Every certificate in the store, PEM, in store order. */
  certificates: string[];
  /** Private-key entries: the key (PKCS#8 or PKCS#1 PEM, unencrypted) and its certificate chain. */
  keys: { key: string; chain: string[] }[];
}

export class StoreError extends Error {
  constructor(readonly kind: 'password' | 'format', message: string) {
    super(message);
  }
}

const JKS_MAGIC = 0xfeedfeed;

/** What the bytes look like: PEM text, a JKS store, or (DER SEQUENCE) a PKCS12 store. */
export function sniffStoreType(data: Buffer): StoreType | undefined {
  if (data.includes('-----BEGIN ')) return 'PEM';
  if (data.length >= 4 && data.readUInt32BE(0) === JKS_MAGIC) return 'JKS';
  if (data.length >= 2 && data[0] === 0x30) return 'PKCS12';
  return undefined;
}

const derToPem = (label: string, der: string): string => {
  const body = forge.util.encode64(der).match(/.{1,64}/g)?.join('\n') ?? '';
  return `-----BEGIN ${label}-----\n${body}\n-----END ${label}-----\n`;
};

type Bag = forge.pkcs12.Bag & { asn1?: forge.asn1.Asn1 };

function certPem(bag: Bag): string {
  if (bag.cert) return forge.pki.certificateToPem(bag.cert);
  if (bag.asn1) return derToPem('CERTIFICATE', forge.asn1.toDer(bag.asn1).getBytes());
  throw new StoreError('format', 'a certificate entry holds no certificate');
}

function keyPem(bag: Bag): string {
  if (bag.key) return forge.pki.privateKeyToPem(bag.key);
  if (bag.asn1) return derToPem('PRIVATE KEY', forge.asn1.toDer(bag.asn1).getBytes());
  throw new StoreError('format', 'a key entry holds no key');
}

const bagsOf = (p12: forge.pkcs12.Pkcs12Pfx, type: string): Bag[] => (p12.getBags({ bagType: type })[type] ?? []) as Bag[];
const idOf = (bag: Bag): string => (bag.attributes?.localKeyId?.[0] as string | undefined) ?? '';

export function readPkcs12(data: Buffer, password: string): StoreContents {
  let p12: forge.pkcs12.Pkcs12Pfx;
  try {
    const asn1 = forge.asn1.fromDer(forge.util.createBuffer(data.toString('binary')));
    p12 = forge.pkcs12.pkcs12FromAsn1(asn1, false, password);
  } catch (error) {
    const text = error instanceof Error ? error.message : '';
    if (/MAC could not be verified|Invalid password|decrypt/i.test(text)) throw new StoreError('password', 'the password does not open the PKCS12 store (integrity check failed)');
    throw new StoreError('format', 'the file is not a readable PKCS12 store');
  }
  const oids = forge.pki.oids;
  const certBags = bagsOf(p12, oids.certBag as string);
  const keyBags = [...bagsOf(p12, oids.pkcs8ShroudedKeyBag as string), ...bagsOf(p12, oids.keyBag as string)];
  const certificates = certBags.map(certPem);
  const keys = keyBags.map((bag) => {
    const id = idOf(bag);
    const own = certBags.filter((c) => id !== '' && idOf(c) === id);
    // The chain: the key's own certificate first, then the store's other (CA) certificates.
    const rest = certBags.filter((c) => !own.includes(c) && idOf(c) === '');
    return { key: keyPem(bag), chain: [...own, ...rest].map(certPem) };
  });
  return { certificates, keys };
}

export function readJks(data: Buffer, storePassword: string | undefined, keyPassword: string | undefined): StoreContents {
  let entries: ReturnType<typeof jks.parseJks>;
  try {
    entries = jks.parseJks(data, storePassword ?? '');
  } catch (error) {
    const text = error instanceof Error ? error.message : '';
    if (/Password verification failed/i.test(text)) throw new StoreError('password', 'the password does not open the JKS store (integrity check failed)');
    throw new StoreError('format', 'the file is not a readable JKS store');
  }
  const pem = (der: Buffer): string => derToPem('CERTIFICATE', der.toString('binary'));
  const certificates: string[] = [];
  const keys: StoreContents['keys'] = [];
  for (const entry of entries) {
    if ('cert' in entry && entry.cert) certificates.push(pem(entry.cert.value));
    if ('protectedPrivateKey' in entry && entry.protectedPrivateKey) {
      const chain = (entry.chain ?? []).map((c) => pem(c.value));
      certificates.push(...chain);
      let key: string;
      try {
        key = jks.decrypt(entry.protectedPrivateKey, keyPassword ?? storePassword ?? '');
      } catch {
        throw new StoreError('password', 'the key password does not decrypt the private key in the JKS store');
      }
      keys.push({ key, chain });
    }
  }
  return { certificates, keys };
}
