/**
 * `sasl.mechanism` + `sasl.jaas.config` → kafkajs SASL options. Supported: PLAIN (PlainLoginModule),
 * SCRAM-SHA-256 and SCRAM-SHA-512 (ScramLoginModule), OAUTHBEARER (OAuthBearerLoginModule with
 * clientId/clientSecret/scope and `sasl.oauthbearer.token.endpoint.url`: the client-credentials
 * grant, see client-oauth.ts). GSSAPI, AWS_MSK_IAM and any other mechanism are refused with what to do instead.
 * Invariants: the login module must match the mechanism; username and password must be present and
 * non-empty; no message ever contains the JAAS text or any option value.
 */
import { InvalidConfigError } from '../core/errors.js';
import { didYouMean } from '../core/did-you-mean.js';
import { parseJaasConfig } from '../config/jaas.js';
import { clientCredentialsProvider, type OAuthBearerProvider } from './client-oauth.js';

type Credentials = { username: string; password: string };
/** The kafkajs SASL options clink produces (a union, as kafkajs's SASLOptions is). */
export type KafkaJsSasl =
  | ({ mechanism: 'plain' } & Credentials)
  | ({ mechanism: 'scram-sha-256' } & Credentials)
  | ({ mechanism: 'scram-sha-512' } & Credentials)
  | { mechanism: 'oauthbearer'; oauthBearerProvider: OAuthBearerProvider };

export const SUPPORTED_SASL_MECHANISMS = ['PLAIN', 'SCRAM-SHA-256', 'SCRAM-SHA-512', 'OAUTHBEARER'] as const;
export const OAUTHBEARER_LOGIN_MODULE = 'org.apache.kafka.common.security.oauthbearer.OAuthBearerLoginModule';

export const PLAIN_LOGIN_MODULE = 'org.apache.kafka.common.security.plain.PlainLoginModule';
export const SCRAM_LOGIN_MODULE = 'org.apache.kafka.common.security.scram.ScramLoginModule';

const moduleFor = (mechanism: string): string => (mechanism === 'PLAIN' ? PLAIN_LOGIN_MODULE : mechanism === 'OAUTHBEARER' ? OAUTHBEARER_LOGIN_MODULE : SCRAM_LOGIN_MODULE);
const example = (mechanism: string): string =>
  mechanism === 'OAUTHBEARER'
    ? `${OAUTHBEARER_LOGIN_MODULE} required clientId="<id>" clientSecret="<secret>" scope="<scope>";`
    : `${moduleFor(mechanism)} required username="<user>" password="<password>";`;
const shortName = (loginModule: string): string =>
  /^[A-Za-z_$][\w$]*(\.[A-Za-z_$][\w$]*)+$/.test(loginModule) ? (loginModule.split('.').pop() as string) : 'an unknown login module';

export interface SaslInputs {
  get: (key: string) => string | undefined;
  name: (key: string) => string;
  protocol: string;
}

function fail(message: string, suggestion: string): never {
  throw new InvalidConfigError(message, { suggestion });
}

/** The upper-case mechanism, or an error when it is missing or not supported. */
export function checkSaslMechanism({ get, name, protocol }: SaslInputs): string {
  const raw = get('sasl.mechanism')?.trim();
  if (raw === undefined || raw === '') {
    const plain = get('sasl.jaas.config')?.includes('PlainLoginModule') === true;
    return fail(
      `${name('sasl.mechanism')} must be set when ${name('security.protocol')} is ${protocol}`,
      plain
        ? `Set \`${name('sasl.mechanism')}=PLAIN\` to match the PlainLoginModule in \`${name('sasl.jaas.config')}\`.`
        : `Set \`${name('sasl.mechanism')}\` to PLAIN, SCRAM-SHA-256 or SCRAM-SHA-512; Kafka's default, GSSAPI (Kerberos), is not supported.`,
    );
  }
  const mechanism = raw.toUpperCase();
  if ((SUPPORTED_SASL_MECHANISMS as readonly string[]).includes(mechanism)) return mechanism;
  const known = ['GSSAPI', 'AWS_MSK_IAM'].includes(mechanism);
  const hint = known ? undefined : didYouMean(mechanism, SUPPORTED_SASL_MECHANISMS);
  return fail(
    `${name('sasl.mechanism')} ${known ? mechanism : `"${raw}"`} is not supported`,
    hint ??
      `clink supports PLAIN, SCRAM-SHA-256, SCRAM-SHA-512 and OAUTHBEARER. Create a SCRAM or PLAIN user for clink on the cluster and set \`${name('sasl.mechanism')}\` and \`${name('sasl.jaas.config')}\` for it.`,
  );
}

export function saslOptions(inputs: SaslInputs): KafkaJsSasl {
  const { get, name, protocol } = inputs;
  const mechanism = checkSaslMechanism(inputs);
  const jaasKey = name('sasl.jaas.config');
  const text = get('sasl.jaas.config');
  if (text === undefined || text.trim() === '') {
    fail(`${jaasKey} must be set when ${name('security.protocol')} is ${protocol}`, `Set \`${jaasKey}=${example(mechanism)}\`.`);
  }
  const jaas = parseJaasConfig(text as string, jaasKey);
  if (jaas.loginModule !== moduleFor(mechanism)) {
    fail(
      `${jaasKey} uses ${shortName(jaas.loginModule)}, which does not match ${name('sasl.mechanism')} ${mechanism}`,
      `Use \`${moduleFor(mechanism)}\` for ${mechanism}, or change \`${name('sasl.mechanism')}\`.`,
    );
  }
  if (mechanism === 'OAUTHBEARER') return oauthOptions(inputs, jaas.options, jaasKey);
  for (const option of ['username', 'password'] as const) {
    const value = jaas.options[option];
    if (value === undefined || value === '') {
      fail(`${jaasKey} has no ${option}`, `Give it as \`${example(mechanism)}\`.`);
    }
  }
  const credentials = { username: jaas.options.username as string, password: jaas.options.password as string };
  if (mechanism === 'PLAIN') return { mechanism: 'plain', ...credentials };
  return mechanism === 'SCRAM-SHA-256' ? { mechanism: 'scram-sha-256', ...credentials } : { mechanism: 'scram-sha-512', ...credentials };
}

function oauthOptions({ get, name }: SaslInputs, options: Record<string, string>, jaasKey: string): KafkaJsSasl {
  const urlKey = name('sasl.oauthbearer.token.endpoint.url');
  const tokenUrl = get('sasl.oauthbearer.token.endpoint.url')?.trim();
  if (!tokenUrl) {
    fail(`${urlKey} must be set for OAUTHBEARER`, `Set \`${urlKey}\` to the identity provider's token endpoint (clink uses the client-credentials grant).`);
  }
  if (!/^https?:\/\/[^\s]+$/i.test(tokenUrl as string)) fail(`${urlKey} must be an http:// or https:// URL`, 'Give the token endpoint URL of the identity provider.');
  for (const option of ['clientId', 'clientSecret'] as const) {
    if (!options[option]) fail(`${jaasKey} has no ${option}`, `Give it as \`${example('OAUTHBEARER')}\`.`);
  }
  return {
    mechanism: 'oauthbearer',
    oauthBearerProvider: clientCredentialsProvider({
      tokenUrl: tokenUrl as string,
      clientId: options.clientId as string,
      clientSecret: options.clientSecret as string,
      ...(options.scope ? { scope: options.scope } : {}),
    }),
  };
}
