/**
 * Translates kafkajs errors into ClinkErrors in one place, so commands never see a KafkaJS* error.
 * Messages name the cluster and the mechanism, never a credential: kafkajs's own text is used only
 * for connection-level failures (addresses and socket errors), which carry no secrets.
 */
import {
  AuthenticationError,
  AuthorizationError,
  ClinkError,
  ClusterUnreachableError,
  TimeoutError,
} from '../core/errors.js';

export interface ErrorSubject {
  /** e.g. `source cluster`, `cluster "dr"`. */
  label: string;
  bootstrapServers: string;
  /** e.g. `SASL_PLAINTEXT/PLAIN`, for authentication messages. */
  security?: string;
}

interface KafkaJsLikeError {
  name?: string;
  message?: string;
  type?: string;
  code?: string;
  cause?: unknown;
  originalError?: unknown;
  retriable?: boolean;
}

function chain(error: unknown): KafkaJsLikeError[] {
  const out: KafkaJsLikeError[] = [];
  let current: unknown = error;
  for (let i = 0; i < 6 && current && typeof current === 'object'; i++) {
    const e = current as KafkaJsLikeError;
    out.push(e);
    current = e.originalError ?? e.cause;
  }
  return out;
}

export function mapKafkaError(error: unknown, subject: ErrorSubject): ClinkError {
  if (error instanceof ClinkError) return error;
  const errors = chain(error);
  // A clink error raised inside kafkajs (the OAUTHBEARER token provider) keeps its own message.
  const own = errors.find((e): e is ClinkError => e instanceof ClinkError);
  if (own) return own;
  const names = errors.map((e) => e.name ?? '');
  const types = errors.map((e) => e.type ?? '');
  const text = errors.map((e) => e.message ?? '').join(' | ');

  if (names.includes('KafkaJSSASLAuthenticationError') || /SASL .*authentication failed/i.test(text)) {
    return new AuthenticationError(`authentication failed for the ${subject.label} at ${subject.bootstrapServers} (${subject.security ?? 'SASL'})`, {
      suggestion: 'Check the username and password in `sasl.jaas.config` (or the references it uses) and that `sasl.mechanism` matches what the broker enables.',
    });
  }
  if (types.some((t) => /AUTHORIZATION_FAILED/.test(t))) {
    const type = types.find((t) => /AUTHORIZATION_FAILED/.test(t));
    return new AuthorizationError(`the ${subject.label} refused the request: ${type}`, {
      suggestion: 'Grant the principal the ACLs clink needs (Describe on the cluster; Describe, Read and Create on topics) and try again.',
    });
  }
  if (names.includes('KafkaJSRequestTimeoutError') || /request timed out|timeout/i.test(text)) {
    return new TimeoutError(`timed out talking to the ${subject.label} at ${subject.bootstrapServers}`, {
      suggestion: 'Check that the address is right and reachable from here, or raise `request.timeout.ms`.',
    });
  }
  const tls = /certificate|self[- ]signed|SSL|TLS|EPROTO|wrong version number|altnames/i.test(text);
  if (tls && /wrong version number|packet length too long|EPROTO.*(record|version)/i.test(text)) {
    return new ClusterUnreachableError(`TLS handshake with the ${subject.label} at ${subject.bootstrapServers} failed: ${firstLine(text)}`, {
      suggestion: 'The listener does not speak TLS: check `security.protocol` and the port.',
    });
  }
  if (tls) {
    // As Kafka's SslAuthenticationException: a handshake that fails on a certificate is an authentication failure.
    return new AuthenticationError(`TLS handshake with the ${subject.label} at ${subject.bootstrapServers} failed: ${tlsReason(text)}`, {
      suggestion: tlsSuggestion(text),
    });
  }
  if (
    names.some((n) => /KafkaJSConnection|KafkaJSNumberOfRetriesExceeded|KafkaJSBrokerNotFound|KafkaJSConnectionClosedError/.test(n)) ||
    /ECONNREFUSED|ENOTFOUND|EHOSTUNREACH|ETIMEDOUT|ECONNRESET|Connection (timeout|error|closed)/i.test(text)
  ) {
    return new ClusterUnreachableError(`cannot reach the ${subject.label} at ${subject.bootstrapServers}: ${firstLine(text)}`, {
      suggestion: 'Check the bootstrap servers and that the cluster is running and reachable from this machine.',
    });
  }
  return new ClinkError('FAILURE', `the ${subject.label} at ${subject.bootstrapServers} failed: ${firstLine(text) || String(error)}`, {
    cause: error,
    retriable: errors.some((e) => e.retriable === true),
  });
}

function tlsReason(text: string): string {
  if (/alert (unknown ca|bad certificate|certificate required|certificate unknown|handshake failure)/i.test(text)) {
    return `the broker refused the client certificate (${firstLine(text)})`;
  }
  return firstLine(text);
}

function tlsSuggestion(text: string): string {
  if (/expired/i.test(text)) return 'The broker presents an expired certificate: renew it on the broker (clink, like Kafka, never accepts one).';
  if (/altnames|hostname/i.test(text)) {
    return 'Connect with a host name the broker certificate names (its subjectAltName), or set `ssl.endpoint.identification.algorithm=` (empty) to skip only the hostname check.';
  }
  if (/alert/i.test(text)) return 'Give a client certificate signed by a CA the broker trusts (`ssl.keystore.*`), and check the key store is the right one.';
  return 'Trust the CA that signed the broker certificate: `ssl.truststore.location` (PEM, PKCS12 or JKS) or `ssl.truststore.certificates`.';
}

function firstLine(text: string): string {
  const first = text.split(' | ').find((part) => part.trim().length > 0) ?? '';
  return first.split('\n')[0]?.trim() ?? '';
}
