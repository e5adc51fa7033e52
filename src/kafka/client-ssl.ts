/**
 * Kafka's `ssl.*` client properties → Node TLS options for kafkajs. Trust and key stores may be
 * PEM (a file or inline values), PKCS12 or JKS (read by src/config/keystores.ts and handed to Node
 * as PEM), with `ssl.*store.password` and `ssl.key.password` as Kafka uses them. A store file whose
 * type is not given is read as what it holds (Kafka's default type is JKS, and Java's JKS loader
 * reads PKCS12 too).
 * Invariants: hostname verification and certificate validation stay on unless
 * `ssl.endpoint.identification.algorithm` is explicitly empty (then only the hostname check is
 * skipped, as in Kafka); messages name keys and file paths, never passwords, key or certificate content.
 */
import type { ConnectionOptions } from 'node:tls';
import { InvalidConfigError } from '../core/errors.js';
import { isCertificate, isPrivateKey, pemBlocks, type PemBlock } from '../config/pem.js';
import { StoreError, readJks, readPkcs12, sniffStoreType, type StoreContents, type StoreType } from '../config/keystores.js';

export interface SslInputs {
  get: (key: string) => string | undefined;
  /** The key as the user wrote it (adds `local.` for local-cluster properties). */
  name: (key: string) => string;
}

const fail = (message: string, suggestion: string): never => {
  throw new InvalidConfigError(message, { suggestion });
};

const CONVERT_TRUST =
  'Give a PEM, PKCS12 or JKS trust store, for example `keytool -exportcert -rfc -keystore truststore.jks -alias <alias> -file ca.pem` and then `ssl.truststore.type=PEM` and `ssl.truststore.location=ca.pem`.';
const CONVERT_KEY =
  'Give a PEM, PKCS12 or JKS key store, for example `keytool -importkeystore -srckeystore keystore.jks -destkeystore keystore.p12 -deststoretype PKCS12` and then `ssl.keystore.type=PKCS12`.';

const TLS_VERSIONS = ['TLSv1', 'TLSv1.1', 'TLSv1.2', 'TLSv1.3'] as const;
const STORE_TYPES: readonly StoreType[] = ['PEM', 'PKCS12', 'JKS'];

/** The `*.type` the user gave (upper-case), or undefined (then the file's content decides). */
function storeType(inputs: SslInputs, key: string): StoreType | undefined {
  const type = inputs.get(key)?.trim().toUpperCase();
  if (type === undefined || type === '') return undefined;
  if ((STORE_TYPES as readonly string[]).includes(type)) return type as StoreType;
  return fail(`${inputs.name(key)} must be PEM, PKCS12 or JKS`, 'Set it to the type of the store file (`PKCS12` for stores made by current keytool or openssl).');
}

const present = (value: string | undefined): value is string => value !== undefined && value !== '';

/** Opens a PKCS12 or JKS store, turning its failures into errors that name the keys. */
function openStore(inputs: SslInputs, kind: 'truststore' | 'keystore', type: 'PKCS12' | 'JKS', data: Buffer, location: string): StoreContents {
  const { get, name } = inputs;
  const passwordKey = `ssl.${kind}.password`;
  const password = get(passwordKey);
  try {
    if (type === 'PKCS12') return readPkcs12(data, password ?? '');
    return readJks(data, password, kind === 'keystore' ? get('ssl.key.password') || password : undefined);
  } catch (error) {
    if (!(error instanceof StoreError)) throw error;
    if (error.kind === 'password') {
      const keys = kind === 'keystore' && /key password/.test(error.message) ? name('ssl.key.password') : name(passwordKey);
      return fail(`${keys} does not open ${name(`ssl.${kind}.location`)} "${location}": ${error.message}`, `Check \`${keys}\` (the password the store was created with).`);
    }
    return fail(`${name(`ssl.${kind}.location`)} "${location}" is not a ${type} store: ${error.message}`, kind === 'truststore' ? CONVERT_TRUST : CONVERT_KEY);
  }
}

/** Store passwords that the store type does not use are refused, as Kafka refuses them for PEM. */
function checkPasswords(inputs: SslInputs, kind: 'truststore' | 'keystore', type: StoreType | undefined, hasLocation: boolean): void {
  const { get, name } = inputs;
  const passwordKey = `ssl.${kind}.password`;
  if (type === 'PEM' && present(get(passwordKey))) {
    fail(`${name(passwordKey)} cannot be used with ${name(`ssl.${kind}.type`)}=PEM`, kind === 'keystore' ? `Remove it; give the private key's passphrase as \`${name('ssl.key.password')}\`.` : 'Remove it: PEM trust stores have no password.');
  }
  if (hasLocation && type === 'PKCS12' && !present(get(passwordKey))) {
    fail(`${name(passwordKey)} must be set for a PKCS12 ${kind === 'keystore' ? 'key' : 'trust'} store`, `Set \`${name(passwordKey)}\` to the store's password.`);
  }
  if (hasLocation && kind === 'keystore' && type === 'JKS' && !present(get(passwordKey))) {
    fail(`${name(passwordKey)} must be set for a JKS key store`, `Set \`${name(passwordKey)}\` to the store's password.`);
  }
}

/** CA certificates; `file` is the trust store file, or undefined when not read (static check). */
function trustMaterial(inputs: SslInputs, file?: Buffer): string | undefined {
  const { get, name } = inputs;
  const declared = storeType(inputs, 'ssl.truststore.type');
  const location = get('ssl.truststore.location');
  const inline = get('ssl.truststore.certificates');
  if (location !== undefined && inline !== undefined) {
    fail(`${name('ssl.truststore.location')} and ${name('ssl.truststore.certificates')} cannot both be set`, 'Keep only one of them.');
  }
  if (inline !== undefined) {
    if (declared !== undefined && declared !== 'PEM') fail(`${name('ssl.truststore.certificates')} needs ${name('ssl.truststore.type')}=PEM`, 'Set `ssl.truststore.type=PEM` or remove it.');
    checkPasswords(inputs, 'truststore', 'PEM', false);
    const certs = pemBlocks(inline).filter(isCertificate);
    if (certs.length === 0) fail(`${name('ssl.truststore.certificates')} does not contain a PEM certificate`, 'Give the CA certificates as `-----BEGIN CERTIFICATE-----` blocks.');
    return certs.map((b) => b.pem).join('');
  }
  checkPasswords(inputs, 'truststore', declared, location !== undefined);
  if (location === undefined || file === undefined) return undefined;
  const type = declared ?? sniffStoreType(file) ?? 'JKS';
  if (type === 'PEM') {
    const certs = pemBlocks(file.toString('utf8')).filter(isCertificate);
    if (certs.length > 0) return certs.map((b) => b.pem).join('');
    return fail(`${name('ssl.truststore.location')} "${location}" does not contain a PEM certificate`, 'Point it to a file of `-----BEGIN CERTIFICATE-----` blocks, or set `ssl.truststore.type` to its type.');
  }
  checkPasswords(inputs, 'truststore', type, true);
  const { certificates } = openStore(inputs, 'truststore', type, file, location);
  if (certificates.length === 0) fail(`${name('ssl.truststore.location')} "${location}" holds no certificate`, 'Import the CA certificate: `keytool -importcert -file ca.pem -alias ca -keystore <store>`.');
  return certificates.join('');
}

interface KeyMaterial {
  key: string;
  cert: string;
  passphrase?: string;
}

function keyAndChain(inputs: SslInputs, blocks: PemBlock[], where: string, keyKey: string): KeyMaterial {
  const keys = blocks.filter(isPrivateKey);
  const certs = blocks.filter(isCertificate);
  if (keys.length !== 1) fail(`${where} must contain exactly one PEM private key`, 'Give the private key as one `-----BEGIN PRIVATE KEY-----` block (PKCS#8).');
  if (certs.length === 0) fail(`${where} does not contain a PEM certificate chain`, 'Add the client certificate (and its intermediates) as `-----BEGIN CERTIFICATE-----` blocks.');
  const key = keys[0] as PemBlock;
  const passphrase = inputs.get('ssl.key.password');
  if (key.encrypted && (passphrase === undefined || passphrase === '')) {
    fail(`the private key in ${inputs.name(keyKey)} is encrypted but ${inputs.name('ssl.key.password')} is not set`, 'Set `ssl.key.password` to the key\'s passphrase.');
  }
  return { key: key.pem, cert: certs.map((b) => b.pem).join(''), ...(passphrase ? { passphrase } : {}) };
}

/** Client key and chain; `file` is the key store file, or undefined when not read (static check). */
function keyMaterial(inputs: SslInputs, file?: Buffer): KeyMaterial | undefined {
  const { get, name } = inputs;
  const declared = storeType(inputs, 'ssl.keystore.type');
  const location = get('ssl.keystore.location');
  const key = get('ssl.keystore.key');
  const chain = get('ssl.keystore.certificate.chain');
  if (location !== undefined && (key !== undefined || chain !== undefined)) {
    fail(`${name('ssl.keystore.location')} cannot be combined with ${name('ssl.keystore.key')} or ${name('ssl.keystore.certificate.chain')}`, 'Keep either the file or the inline PEM values.');
  }
  if (key !== undefined || chain !== undefined) {
    if (declared !== undefined && declared !== 'PEM') fail(`${name('ssl.keystore.key')} and ${name('ssl.keystore.certificate.chain')} need ${name('ssl.keystore.type')}=PEM`, 'Set `ssl.keystore.type=PEM` or remove it.');
    checkPasswords(inputs, 'keystore', 'PEM', false);
    if (key === undefined) fail(`${name('ssl.keystore.certificate.chain')} is set but ${name('ssl.keystore.key')} is not`, 'Set both for mutual TLS.');
    if (chain === undefined) fail(`${name('ssl.keystore.key')} is set but ${name('ssl.keystore.certificate.chain')} is not`, 'Set both for mutual TLS.');
    const chainBlocks = pemBlocks(chain as string).filter(isCertificate);
    if (chainBlocks.length === 0) fail(`${name('ssl.keystore.certificate.chain')} does not contain a PEM certificate`, 'Give the client certificate (and its intermediates) as `-----BEGIN CERTIFICATE-----` blocks.');
    const keyBlocks = pemBlocks(key as string).filter(isPrivateKey);
    return keyAndChain(inputs, [...keyBlocks, ...chainBlocks], name('ssl.keystore.key'), 'ssl.keystore.key');
  }
  checkPasswords(inputs, 'keystore', declared, location !== undefined);
  if (location === undefined || file === undefined) return undefined;
  const type = declared ?? sniffStoreType(file) ?? 'JKS';
  if (type === 'PEM') return keyAndChain(inputs, pemBlocks(file.toString('utf8')), `${name('ssl.keystore.location')} "${location}"`, 'ssl.keystore.location');
  checkPasswords(inputs, 'keystore', type, true);
  const { keys } = openStore(inputs, 'keystore', type, file, location);
  const entry = keys[0];
  if (entry === undefined) fail(`${name('ssl.keystore.location')} "${location}" holds no private key`, 'Give a key store with the client\'s private key and certificate (`keytool -genkeypair` or `openssl pkcs12 -export`).');
  if ((entry as { chain: string[] }).chain.length === 0) fail(`${name('ssl.keystore.location')} "${location}" has a private key without a certificate`, 'Import the signed client certificate into the store.');
  return { key: (entry as { key: string }).key, cert: (entry as { chain: string[] }).chain.join('') };
}

function protocolRange(inputs: SslInputs): Pick<ConnectionOptions, 'minVersion' | 'maxVersion'> {
  const raw = inputs.get('ssl.enabled.protocols');
  if (raw === undefined || raw.trim() === '') return {};
  const wanted = raw.split(',').map((p) => p.trim()).filter(Boolean);
  const indexes = wanted.map((p) => TLS_VERSIONS.findIndex((v) => v.toLowerCase() === p.toLowerCase()));
  if (indexes.some((i) => i < 0)) fail(`${inputs.name('ssl.enabled.protocols')} may list only ${TLS_VERSIONS.join(', ')}`, 'Use for example `ssl.enabled.protocols=TLSv1.2,TLSv1.3`.');
  return { minVersion: TLS_VERSIONS[Math.min(...indexes)], maxVersion: TLS_VERSIONS[Math.max(...indexes)] };
}

function identification(inputs: SslInputs): Pick<ConnectionOptions, 'checkServerIdentity'> {
  const algorithm = inputs.get('ssl.endpoint.identification.algorithm');
  if (algorithm === undefined) return {};
  const value = algorithm.trim().toLowerCase();
  if (value === '') return { checkServerIdentity: () => undefined };
  if (value !== 'https') fail(`${inputs.name('ssl.endpoint.identification.algorithm')} must be https or empty`, 'Leave it unset (https) or set it to an empty value to skip the hostname check.');
  return {};
}

/** Every check that needs no file: store types, conflicting keys, inline PEM values, protocols. */
export function checkSslOptions(inputs: SslInputs): void {
  trustMaterial(inputs);
  keyMaterial(inputs);
  identification(inputs);
  protocolRange(inputs);
}

/** TLS options for kafkajs; only called when security.protocol is SSL or SASL_SSL. */
export async function buildSslOptions(inputs: SslInputs, read: (path: string, key: string) => Promise<Buffer>): Promise<ConnectionOptions> {
  checkSslOptions(inputs);
  const trustFile = inputs.get('ssl.truststore.location');
  const keyFile = inputs.get('ssl.keystore.location');
  const ca = trustMaterial(inputs, trustFile === undefined ? undefined : await read(trustFile, 'ssl.truststore.location'));
  const key = keyMaterial(inputs, keyFile === undefined ? undefined : await read(keyFile, 'ssl.keystore.location'));
  return { ...(ca === undefined ? {} : { ca }), ...key, ...identification(inputs), ...protocolRange(inputs) };
}
