/**
 * Kafka's `ssl.*` client properties → Node TLS options for kafkajs. Node reads PEM only, so trust
 * and key stores must be PEM (`ssl.*store.type=PEM`, a file or inline values); JKS and PKCS12 are
 * refused with the command that converts them. A store file whose type is not given (Kafka would
 * assume JKS) is accepted when it holds PEM blocks.
 * Invariants: hostname verification and certificate validation stay on unless
 * `ssl.endpoint.identification.algorithm` is explicitly empty (then only the hostname check is
 * skipped, as in Kafka); messages name keys and file paths, never key or certificate content.
 */
import type { ConnectionOptions } from 'node:tls';
import { InvalidConfigError } from '../core/errors.js';
import { isCertificate, isPrivateKey, pemBlocks, type PemBlock } from '../config/pem.js';

export interface SslInputs {
  get: (key: string) => string | undefined;
  /** The key as the user wrote it (adds `local.` for local-cluster properties). */
  name: (key: string) => string;
}

const fail = (message: string, suggestion: string): never => {
  throw new InvalidConfigError(message, { suggestion });
};

const CONVERT_TRUST =
  'Convert it to PEM, for example `keytool -exportcert -rfc -keystore truststore.jks -alias <alias> -file ca.pem` or `openssl pkcs12 -in truststore.p12 -nokeys -out ca.pem`, then set `ssl.truststore.type=PEM` and `ssl.truststore.location=ca.pem`.';
const CONVERT_KEY =
  'Convert it to PEM, for example `keytool -importkeystore -srckeystore keystore.jks -destkeystore keystore.p12 -deststoretype PKCS12` and then `openssl pkcs12 -in keystore.p12 -out keystore.pem`, then set `ssl.keystore.type=PEM` and `ssl.keystore.location=keystore.pem`.';

const TLS_VERSIONS = ['TLSv1', 'TLSv1.1', 'TLSv1.2', 'TLSv1.3'] as const;

/** Checks `*.type` and returns whether the material must be PEM (`PEM`) or may be sniffed (unset). */
function storeType(inputs: SslInputs, key: string, convert: string): 'PEM' | undefined {
  const type = inputs.get(key)?.trim().toUpperCase();
  if (type === undefined || type === '') return undefined;
  if (type === 'PEM') return 'PEM';
  if (type === 'JKS' || type === 'PKCS12') {
    return fail(`${inputs.name(key)} ${type} is not supported: clink reads PEM only`, convert);
  }
  return fail(`${inputs.name(key)} must be PEM, JKS or PKCS12`, 'Set it to `PEM`.');
}

/** CA certificates; `file` is the trust store file's text, or undefined when not read (static check). */
function trustMaterial(inputs: SslInputs, file?: string): string | undefined {
  const { get, name } = inputs;
  const type = storeType(inputs, 'ssl.truststore.type', CONVERT_TRUST);
  const location = get('ssl.truststore.location');
  const inline = get('ssl.truststore.certificates');
  if (location !== undefined && inline !== undefined) {
    fail(`${name('ssl.truststore.location')} and ${name('ssl.truststore.certificates')} cannot both be set`, 'Keep only one of them.');
  }
  if (inline !== undefined) {
    const certs = pemBlocks(inline).filter(isCertificate);
    if (certs.length === 0) fail(`${name('ssl.truststore.certificates')} does not contain a PEM certificate`, 'Give the CA certificates as `-----BEGIN CERTIFICATE-----` blocks.');
    return certs.map((b) => b.pem).join('');
  }
  if (location === undefined || file === undefined) return undefined;
  const certs = pemBlocks(file).filter(isCertificate);
  if (certs.length > 0) return certs.map((b) => b.pem).join('');
  if (type === 'PEM') return fail(`${name('ssl.truststore.location')} "${location}" does not contain a PEM certificate`, 'Point it to a file of `-----BEGIN CERTIFICATE-----` blocks.');
  return fail(`${name('ssl.truststore.location')} "${location}" is not a PEM file (Kafka's default trust store type is JKS)`, CONVERT_TRUST);
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

/** Client key and chain; `file` is the key store file's text, or undefined when not read (static check). */
function keyMaterial(inputs: SslInputs, file?: string): KeyMaterial | undefined {
  const { get, name } = inputs;
  const type = storeType(inputs, 'ssl.keystore.type', CONVERT_KEY);
  const location = get('ssl.keystore.location');
  const key = get('ssl.keystore.key');
  const chain = get('ssl.keystore.certificate.chain');
  if (location !== undefined && (key !== undefined || chain !== undefined)) {
    fail(`${name('ssl.keystore.location')} cannot be combined with ${name('ssl.keystore.key')} or ${name('ssl.keystore.certificate.chain')}`, 'Keep either the file or the inline PEM values.');
  }
  if (key !== undefined || chain !== undefined) {
    if (key === undefined) fail(`${name('ssl.keystore.certificate.chain')} is set but ${name('ssl.keystore.key')} is not`, 'Set both for mutual TLS.');
    if (chain === undefined) fail(`${name('ssl.keystore.key')} is set but ${name('ssl.keystore.certificate.chain')} is not`, 'Set both for mutual TLS.');
    const chainBlocks = pemBlocks(chain as string).filter(isCertificate);
    if (chainBlocks.length === 0) fail(`${name('ssl.keystore.certificate.chain')} does not contain a PEM certificate`, 'Give the client certificate (and its intermediates) as `-----BEGIN CERTIFICATE-----` blocks.');
    const keyBlocks = pemBlocks(key as string).filter(isPrivateKey);
    return keyAndChain(inputs, [...keyBlocks, ...chainBlocks], name('ssl.keystore.key'), 'ssl.keystore.key');
  }
  if (location === undefined || file === undefined) return undefined;
  const blocks = pemBlocks(file);
  if (blocks.length === 0 && type !== 'PEM') {
    return fail(`${name('ssl.keystore.location')} "${location}" is not a PEM file (Kafka's default key store type is JKS)`, CONVERT_KEY);
  }
  return keyAndChain(inputs, blocks, `${name('ssl.keystore.location')} "${location}"`, 'ssl.keystore.location');
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
export async function buildSslOptions(inputs: SslInputs, read: (path: string, key: string) => Promise<string>): Promise<ConnectionOptions> {
  checkSslOptions(inputs);
  const trustFile = inputs.get('ssl.truststore.location');
  const keyFile = inputs.get('ssl.keystore.location');
  const ca = trustMaterial(inputs, trustFile === undefined ? undefined : await read(trustFile, 'ssl.truststore.location'));
  const key = keyMaterial(inputs, keyFile === undefined ? undefined : await read(keyFile, 'ssl.keystore.location'));
  return { ...(ca === undefined ? {} : { ca }), ...key, ...identification(inputs), ...protocolRange(inputs) };
}
