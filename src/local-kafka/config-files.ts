/**
 * Renders server.properties and log4j2.properties for a single-node combined KRaft broker+controller
 * tuned for tests on a small machine. Invariant: every flavour has a PLAINTEXT listener on which
 * anonymous clients are all-powerful; the 'sasl' flavour adds a SASL_PLAINTEXT/PLAIN listener with
 * the users below behind StandardAuthorizer, where resources without ACLs are denied to non-super users.
 * The security flavours ('ssl', 'mtls', 'sasl-ssl', 'scram', 'secure') add TLS and SCRAM listeners
 * (see SECURE_LISTENERS) behind the same authorizer; TLS listeners advertise `localhost`, the name
 * in the test broker certificate, so clients that connect as the broker advertises pass the
 * hostname check and clients that connect to 127.0.0.1 do not.
 * Java properties have no inline comments and no multi-line values: overrides must be single-line.
 */
export type KafkaFlavour = 'plaintext' | 'sasl' | 'ssl' | 'mtls' | 'sasl-ssl' | 'scram' | 'secure';
export const KAFKA_FLAVOURS: readonly KafkaFlavour[] = ['plaintext', 'sasl', 'ssl', 'mtls', 'sasl-ssl', 'scram', 'secure'];

/**
 * Listeners a security flavour adds next to PLAINTEXT (listener name → security protocol):
 * SSL (server authentication only), MTLS (ssl.client.auth=required), EXPIRED (SSL with an expired
 * broker certificate, for failure tests), SASL_SSL and SASL_PLAINTEXT (PLAIN, SCRAM-SHA-256 and
 * SCRAM-SHA-512; SCRAM credentials are written at format time).
 */
export const SECURE_LISTENERS = {
  SSL: 'SSL',
  MTLS: 'SSL',
  EXPIRED: 'SSL',
  SASL_SSL: 'SASL_SSL',
  SASL_PLAINTEXT: 'SASL_PLAINTEXT',
} as const;
export type SecureListener = keyof typeof SECURE_LISTENERS;

/** The extra listeners of each flavour ('sasl' keeps its historical PLAIN-only SASL_PLAINTEXT listener). */
export const FLAVOUR_LISTENERS: Record<KafkaFlavour, readonly SecureListener[]> = {
  plaintext: [],
  sasl: ['SASL_PLAINTEXT'],
  ssl: ['SSL', 'EXPIRED'],
  mtls: ['MTLS'],
  'sasl-ssl': ['SASL_SSL'],
  scram: ['SASL_PLAINTEXT', 'SASL_SSL'],
  secure: ['SSL', 'MTLS', 'EXPIRED', 'SASL_SSL', 'SASL_PLAINTEXT'],
};

export const SCRAM_MECHANISMS = ['SCRAM-SHA-256', 'SCRAM-SHA-512'] as const;

/** Whether the flavour needs TLS material (a TestPki) and SCRAM credentials in its storage. */
export const flavourNeedsTls = (flavour: KafkaFlavour): boolean => FLAVOUR_LISTENERS[flavour].some((l) => SECURE_LISTENERS[l] !== 'SASL_PLAINTEXT');
export const flavourHasScram = (flavour: KafkaFlavour): boolean => flavour !== 'plaintext' && flavour !== 'sasl';

/** Broker-side TLS files (see test-pki.ts). */
export interface BrokerTlsFiles {
  keystore: string;
  expiredKeystore: string;
  keystorePassword: string;
  /** PEM file of the CA the broker trusts for client certificates. */
  truststorePem: string;
  /** DN of the client certificate, made a super user like admin. */
  clientDn: string;
}

export interface SaslUser {
  username: string;
  password: string;
  superUser: boolean;
}

/** Test-only credentials of the 'sasl' flavour. */
export const SASL_USERS = {
  admin: { username: 'admin', password: 'admin-secret', superUser: true },
  alice: { username: 'alice', password: 'alice-secret', superUser: false },
} as const satisfies Record<string, SaslUser>;
export type SaslUsers = typeof SASL_USERS;

export interface ListenerPorts {
  broker: number;
  controller: number;
  /** The SASL_PLAINTEXT listener; required for the 'sasl' and 'scram' flavours. */
  sasl?: number;
  /** The other listeners of a security flavour. */
  secure?: Partial<Record<Exclude<SecureListener, 'SASL_PLAINTEXT'>, number>>;
}

export type BrokerConfigOverrides = Record<string, string | number | boolean>;

const TEST_TUNING: BrokerConfigOverrides = {
  'offsets.topic.replication.factor': 1,
  'offsets.topic.num.partitions': 1,
  'transaction.state.log.replication.factor': 1,
  'transaction.state.log.min.isr': 1,
  'transaction.state.log.num.partitions': 1,
  'share.coordinator.state.topic.replication.factor': 1,
  'share.coordinator.state.topic.min.isr': 1,
  'share.coordinator.state.topic.num.partitions': 1,
  'default.replication.factor': 1,
  'min.insync.replicas': 1,
  'num.partitions': 1,
  'group.initial.rebalance.delay.ms': 0,
  'group.min.session.timeout.ms': 1000,
  'num.network.threads': 2,
  'num.io.threads': 2,
  'background.threads': 2,
  'group.coordinator.threads': 1,
  'share.coordinator.threads': 1,
  'num.replica.fetchers': 1,
  'num.recovery.threads.per.data.dir': 1,
  'log.cleaner.threads': 1,
  'auto.create.topics.enable': true,
};

function saslConfig(): BrokerConfigOverrides {
  const userDb = Object.values(SASL_USERS).map((u) => `user_${u.username}="${u.password}"`).join(' ');
  const superUsers = Object.values(SASL_USERS).filter((u) => u.superUser).map((u) => `User:${u.username}`);
  return {
    'sasl.enabled.mechanisms': 'PLAIN',
    'listener.name.sasl_plaintext.plain.sasl.jaas.config': `org.apache.kafka.common.security.plain.PlainLoginModule required ${userDb};`,
    'authorizer.class.name': 'org.apache.kafka.metadata.authorizer.StandardAuthorizer',
    // ANONYMOUS is the principal of the PLAINTEXT and CONTROLLER listeners (incl. forwarded admin requests).
    'super.users': [...superUsers, 'User:ANONYMOUS'].join(';'),
    'allow.everyone.if.no.acl.found': false,
  };
}

function secureConfig(flavour: KafkaFlavour, tls: BrokerTlsFiles | undefined): BrokerConfigOverrides {
  const listeners = FLAVOUR_LISTENERS[flavour];
  const userDb = Object.values(SASL_USERS).map((u) => `user_${u.username}="${u.password}"`).join(' ');
  const superUsers = Object.values(SASL_USERS).filter((u) => u.superUser).map((u) => `User:${u.username}`);
  const out: BrokerConfigOverrides = {
    'authorizer.class.name': 'org.apache.kafka.metadata.authorizer.StandardAuthorizer',
    'super.users': [...superUsers, 'User:ANONYMOUS', ...(tls ? [`User:${tls.clientDn}`] : [])].join(';'),
    'allow.everyone.if.no.acl.found': false,
  };
  if (flavourNeedsTls(flavour)) {
    if (!tls) throw new Error(`the ${flavour} flavour needs TLS files (createTestPki)`);
    Object.assign(out, {
      'ssl.keystore.type': 'PKCS12',
      'ssl.keystore.location': tls.keystore,
      'ssl.keystore.password': tls.keystorePassword,
      'ssl.key.password': tls.keystorePassword,
      'ssl.truststore.type': 'PEM',
      'ssl.truststore.location': tls.truststorePem,
    });
  }
  for (const listener of listeners) {
    const name = listener.toLowerCase();
    if (listener === 'MTLS') out[`listener.name.${name}.ssl.client.auth`] = 'required';
    if (listener === 'EXPIRED' && tls) out[`listener.name.${name}.ssl.keystore.location`] = tls.expiredKeystore;
    if (SECURE_LISTENERS[listener].startsWith('SASL_')) {
      const mechanisms = flavour === 'sasl' ? ['PLAIN'] : ['PLAIN', ...SCRAM_MECHANISMS];
      out[`listener.name.${name}.sasl.enabled.mechanisms`] = mechanisms.join(',');
      out[`listener.name.${name}.plain.sasl.jaas.config`] = `org.apache.kafka.common.security.plain.PlainLoginModule required ${userDb};`;
      for (const m of mechanisms.filter((x) => x !== 'PLAIN')) {
        out[`listener.name.${name}.${m.toLowerCase()}.sasl.jaas.config`] = 'org.apache.kafka.common.security.scram.ScramLoginModule required;';
      }
    }
  }
  return out;
}

export interface ServerPropertiesInput {
  flavour: KafkaFlavour;
  ports: ListenerPorts;
  dataDir: string;
  overrides?: BrokerConfigOverrides;
  /** Required by flavours with TLS listeners. */
  tls?: BrokerTlsFiles;
}

export function renderServerProperties({ flavour, ports, dataDir, overrides = {}, tls }: ServerPropertiesInput): string {
  const host = '127.0.0.1';
  const clientListeners = [`PLAINTEXT://${host}:${ports.broker}`];
  const advertised = [...clientListeners];
  const protocolMap = ['CONTROLLER:PLAINTEXT', 'PLAINTEXT:PLAINTEXT'];
  let security: BrokerConfigOverrides = {};
  if (flavour === 'sasl') {
    if (ports.sasl === undefined) throw new Error('the sasl flavour needs a sasl port');
    clientListeners.push(`SASL_PLAINTEXT://${host}:${ports.sasl}`);
    advertised.push(`SASL_PLAINTEXT://${host}:${ports.sasl}`);
    protocolMap.push('SASL_PLAINTEXT:SASL_PLAINTEXT');
    security = saslConfig();
  } else if (flavour !== 'plaintext') {
    for (const listener of FLAVOUR_LISTENERS[flavour]) {
      const port = listener === 'SASL_PLAINTEXT' ? ports.sasl : ports.secure?.[listener];
      if (port === undefined) throw new Error(`the ${flavour} flavour needs a port for its ${listener} listener`);
      clientListeners.push(`${listener}://${host}:${port}`);
      advertised.push(`${listener}://${SECURE_LISTENERS[listener] === 'SASL_PLAINTEXT' ? host : 'localhost'}:${port}`);
      protocolMap.push(`${listener}:${SECURE_LISTENERS[listener]}`);
    }
    security = secureConfig(flavour, tls);
  }
  const entries: BrokerConfigOverrides = {
    'process.roles': 'broker,controller',
    'node.id': 1,
    'controller.quorum.voters': `1@${host}:${ports.controller}`,
    'controller.listener.names': 'CONTROLLER',
    listeners: [...clientListeners, `CONTROLLER://${host}:${ports.controller}`].join(','),
    'advertised.listeners': advertised.join(','),
    'listener.security.protocol.map': protocolMap.join(','),
    'inter.broker.listener.name': 'PLAINTEXT',
    'log.dirs': dataDir,
    ...security,
    ...TEST_TUNING,
    ...overrides,
  };
  return Object.entries(entries)
    .map(([key, value]) => {
      const text = String(value);
      if (/[\r\n]/.test(text)) throw new Error(`broker config ${key} must be a single line`);
      return `${key}=${text}`;
    })
    .join('\n')
    .concat('\n');
}

/** INFO and above to <logs>/server.log; WARN and above also to stderr (which the harness captures). */
export function renderLog4j2Properties(): string {
  return [
    'status = warn',
    'name = clink-local-kafka',
    'appender.file.type = File',
    'appender.file.name = FILE',
    'appender.file.fileName = ${sys:kafka.logs.dir}/server.log',
    'appender.file.layout.type = PatternLayout',
    'appender.file.layout.pattern = [%d] %p %m (%c)%n',
    'appender.stderr.type = Console',
    'appender.stderr.name = STDERR',
    'appender.stderr.target = SYSTEM_ERR',
    'appender.stderr.layout.type = PatternLayout',
    'appender.stderr.layout.pattern = [%d] %p %m (%c)%n',
    'appender.stderr.filter.threshold.type = ThresholdFilter',
    'appender.stderr.filter.threshold.level = WARN',
    'rootLogger.level = INFO',
    'rootLogger.appenderRef.file.ref = FILE',
    'rootLogger.appenderRef.stderr.ref = STDERR',
    'logger.request.name = kafka.request.logger',
    'logger.request.level = WARN',
    'logger.statechange.name = state.change.logger',
    'logger.statechange.level = WARN',
    '',
  ].join('\n');
}
