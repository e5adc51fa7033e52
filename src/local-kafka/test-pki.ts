/**
 * A throw-away PKI for TLS test brokers, made with openssl and keytool in a directory the caller
 * owns (a test's temp dir, or .clink-clusters/pki for `npm run clusters`): a test CA, a broker
 * certificate for `localhost` (no IP address in it, so connecting to 127.0.0.1 is a hostname
 * mismatch), an expired broker certificate, a client certificate for mutual TLS, and the same
 * material again from a second CA nobody trusts. Client stores come in every form Kafka clients
 * read: PEM, PKCS12 and JKS. Invariant: nothing here is ever written outside `dir`; the passwords
 * are test-only values, returned so that tests can assert they never appear in clink's output.
 */
import { execFile } from 'node:child_process';
import { mkdir, readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { MissingToolError } from './errors.js';
import { JAVA_INSTALL_HINT } from './tools.js';

const run = promisify(execFile);

/** Distinguished name of the client certificate; Kafka's SSL principal is `User:` + this DN. */
export const TEST_CLIENT_DN = 'CN=clink-client';

export interface TestPki {
  dir: string;
  /** PEM certificate of the test CA. */
  caPem: string;
  /** PEM certificate of another CA, which signed nothing the brokers present. */
  otherCaPem: string;
  /** Broker key store (PKCS12, cert for localhost signed by the CA). */
  brokerKeystore: string;
  /** Broker key store whose certificate expired yesterday. */
  expiredBrokerKeystore: string;
  brokerKeystorePassword: string;
  client: {
    /** PEM file holding the unencrypted client key and its certificate. */
    pem: string;
    /** PEM file holding the client key encrypted with `keyPassword`, and its certificate. */
    encryptedPem: string;
    keyPassword: string;
    p12: string;
    jks: string;
    storePassword: string;
    /** Trust stores holding the CA certificate. */
    truststoreP12: string;
    truststoreJks: string;
    /** A PEM key + certificate signed by the other CA (an untrusted client). */
    untrustedPem: string;
  };
}

const KEYSTORE_PASSWORD = 'broker-store-pass-7Q';
const CLIENT_STORE_PASSWORD = 'client-store-pass-4K';
const CLIENT_KEY_PASSWORD = 'client-key-pass-9Z';

async function tool(command: string, args: string[], cwd: string): Promise<void> {
  try {
    await run(command, args, { cwd, timeout: 120_000 });
  } catch (error) {
    const e = error as NodeJS.ErrnoException & { stderr?: string };
    if (e.code === 'ENOENT') {
      const hint = command === 'openssl' ? 'install openssl (Debian: apt-get install openssl)' : JAVA_INSTALL_HINT;
      throw new MissingToolError(`${command} not found on PATH: ${hint}`);
    }
    throw new Error(`${command} ${args.slice(0, 2).join(' ')} failed in ${cwd}: ${(e.stderr ?? e.message).trim()}`);
  }
}

const openssl = (cwd: string, ...args: string[]): Promise<void> => tool('openssl', args, cwd);
const keytool = (cwd: string, ...args: string[]): Promise<void> => tool('keytool', ['-noprompt', ...args], cwd);

async function makeCa(dir: string, name: string): Promise<void> {
  await openssl(dir, 'req', '-x509', '-newkey', 'rsa:2048', '-nodes', '-keyout', `${name}.key`, '-out', `${name}.pem`,
    '-days', '30', '-subj', `/CN=clink test ${name}`, '-addext', 'basicConstraints=critical,CA:TRUE', '-addext', 'keyUsage=critical,keyCertSign,cRLSign');
}

/** Key + CSR, then a certificate signed by `ca`, valid 30 days. */
async function makeLeaf(dir: string, name: string, ca: string, subject: string, extensions: string): Promise<void> {
  await openssl(dir, 'req', '-newkey', 'rsa:2048', '-nodes', '-keyout', `${name}.key`, '-out', `${name}.csr`, '-subj', subject);
  await writeFile(join(dir, `${name}.ext`), extensions);
  await openssl(dir, 'x509', '-req', '-in', `${name}.csr`, '-CA', `${ca}.pem`, '-CAkey', `${ca}.key`, '-CAcreateserial',
    '-days', '30', '-out', `${name}.pem`, '-extfile', `${name}.ext`);
}

async function p12(dir: string, name: string, keyFile: string, certFile: string, password: string): Promise<void> {
  await openssl(dir, 'pkcs12', '-export', '-in', certFile, '-inkey', keyFile, '-name', name, '-out', `${name}.p12`, '-passout', `pass:${password}`);
}

const SERVER_EXT = 'subjectAltName=DNS:localhost\nextendedKeyUsage=serverAuth\n';
const CLIENT_EXT = 'extendedKeyUsage=clientAuth\n';

/** Creates the PKI in `dir` (created if missing). Takes a few seconds (a handful of keytool JVMs). */
export async function createTestPki(dir: string): Promise<TestPki> {
  await mkdir(dir, { recursive: true, mode: 0o700 });
  await Promise.all([makeCa(dir, 'ca'), makeCa(dir, 'other-ca')]);
  await Promise.all([
    makeLeaf(dir, 'broker', 'ca', '/CN=localhost', SERVER_EXT),
    makeLeaf(dir, 'client', 'ca', `/${TEST_CLIENT_DN}`, CLIENT_EXT),
    makeLeaf(dir, 'untrusted', 'other-ca', `/${TEST_CLIENT_DN}`, CLIENT_EXT),
    openssl(dir, 'req', '-newkey', 'rsa:2048', '-nodes', '-keyout', 'expired.key', '-out', 'expired.csr', '-subj', '/CN=localhost'),
    // keytool -gencert needs the CA in a key store.
    p12(dir, 'ca', 'ca.key', 'ca.pem', KEYSTORE_PASSWORD),
  ]);
  await Promise.all([
    p12(dir, 'broker', 'broker.key', 'broker.pem', KEYSTORE_PASSWORD),
    p12(dir, 'client', 'client.key', 'client.pem', CLIENT_STORE_PASSWORD),
    // PBES1 (PBEWithSHA1AndDESede): Kafka's Java PEM loader has no PBES2 SecretKeyFactory.
    openssl(dir, 'pkcs8', '-topk8', '-in', 'client.key', '-out', 'client-encrypted.key', '-v1', 'PBE-SHA1-3DES', '-passout', `pass:${CLIENT_KEY_PASSWORD}`),
    // openssl cannot back-date a certificate; keytool can (-startdate): valid for one day, two days ago.
    keytool(dir, '-gencert', '-keystore', 'ca.p12', '-storetype', 'PKCS12', '-storepass', KEYSTORE_PASSWORD, '-alias', 'ca',
      '-infile', 'expired.csr', '-outfile', 'expired.pem', '-rfc', '-startdate', '-2d', '-validity', '1', '-ext', 'SAN=dns:localhost'),
    keytool(dir, '-importcert', '-file', 'ca.pem', '-alias', 'ca', '-keystore', 'truststore.p12', '-storetype', 'PKCS12', '-storepass', CLIENT_STORE_PASSWORD),
    keytool(dir, '-importcert', '-file', 'ca.pem', '-alias', 'ca', '-keystore', 'truststore.jks', '-storetype', 'JKS', '-storepass', CLIENT_STORE_PASSWORD),
  ]);
  const text = async (file: string): Promise<string> => readFile(join(dir, file), 'utf8');
  const expiredChain = `${await text('expired.pem')}${await text('ca.pem')}`;
  await writeFile(join(dir, 'expired-chain.pem'), expiredChain);
  await Promise.all([
    p12(dir, 'expired', 'expired.key', 'expired-chain.pem', KEYSTORE_PASSWORD),
    keytool(dir, '-importkeystore', '-srckeystore', 'client.p12', '-srcstoretype', 'PKCS12', '-srcstorepass', CLIENT_STORE_PASSWORD,
      '-destkeystore', 'client.jks', '-deststoretype', 'JKS', '-deststorepass', CLIENT_STORE_PASSWORD, '-destkeypass', CLIENT_STORE_PASSWORD),
    writeFile(join(dir, 'client-key-cert.pem'), `${await text('client.key')}${await text('client.pem')}`),
    writeFile(join(dir, 'client-encrypted-key-cert.pem'), `${await text('client-encrypted.key')}${await text('client.pem')}`),
    writeFile(join(dir, 'untrusted-key-cert.pem'), `${await text('untrusted.key')}${await text('untrusted.pem')}`),
  ]);
  return {
    dir,
    caPem: join(dir, 'ca.pem'),
    otherCaPem: join(dir, 'other-ca.pem'),
    brokerKeystore: join(dir, 'broker.p12'),
    expiredBrokerKeystore: join(dir, 'expired.p12'),
    brokerKeystorePassword: KEYSTORE_PASSWORD,
    client: {
      pem: join(dir, 'client-key-cert.pem'),
      encryptedPem: join(dir, 'client-encrypted-key-cert.pem'),
      keyPassword: CLIENT_KEY_PASSWORD,
      p12: join(dir, 'client.p12'),
      jks: join(dir, 'client.jks'),
      storePassword: CLIENT_STORE_PASSWORD,
      truststoreP12: join(dir, 'truststore.p12'),
      truststoreJks: join(dir, 'truststore.jks'),
      untrustedPem: join(dir, 'untrusted-key-cert.pem'),
    },
  };
}
