/**
 * Renders server.properties and log4j2.properties for a single-node combined KRaft broker+controller
 * tuned for tests on a small machine. Invariant: every flavour has a PLAINTEXT listener on which
 * anonymous clients are all-powerful; the 'sasl' flavour adds a SASL_PLAINTEXT/PLAIN listener with
 * the users below behind StandardAuthorizer, where resources without ACLs are denied to non-super users.
 * Java properties have no inline comments and no multi-line values: overrides must be single-line.
 */
export type KafkaFlavour = 'plaintext' | 'sasl';

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
  /** Required for the 'sasl' flavour. */
  sasl?: number;
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

export interface ServerPropertiesInput {
  flavour: KafkaFlavour;
  ports: ListenerPorts;
  dataDir: string;
  overrides?: BrokerConfigOverrides;
}

export function renderServerProperties({ flavour, ports, dataDir, overrides = {} }: ServerPropertiesInput): string {
  const host = '127.0.0.1';
  const clientListeners = [`PLAINTEXT://${host}:${ports.broker}`];
  const protocolMap = ['CONTROLLER:PLAINTEXT', 'PLAINTEXT:PLAINTEXT'];
  let security: BrokerConfigOverrides = {};
  if (flavour === 'sasl') {
    if (ports.sasl === undefined) throw new Error('the sasl flavour needs a sasl port');
    clientListeners.push(`SASL_PLAINTEXT://${host}:${ports.sasl}`);
    protocolMap.push('SASL_PLAINTEXT:SASL_PLAINTEXT');
    security = saslConfig();
  }
  const entries: BrokerConfigOverrides = {
    'process.roles': 'broker,controller',
    'node.id': 1,
    'controller.quorum.voters': `1@${host}:${ports.controller}`,
    'controller.listener.names': 'CONTROLLER',
    listeners: [...clientListeners, `CONTROLLER://${host}:${ports.controller}`].join(','),
    'advertised.listeners': clientListeners.join(','),
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
