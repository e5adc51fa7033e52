/**
 * Bad inputs as data: one line per case — the command line, the expected exit code
 * (docs/exit-codes.md), a pattern the stderr must match, and optionally the environment, the store
 * fixture and the input files it needs. bad-inputs.test.ts runs every line against the real test
 * clusters and also asserts that the config store (and the worker state beside it) is byte-identical
 * afterwards and that no topic was created on either cluster.
 *
 * To add a case, add a line. Tokens in the command line (split like a shell, '…' quotes a word):
 *   {src} {srcSasl} {dst}   bootstrap servers of the source (PLAINTEXT, SASL) and destination clusters
 *   {srcId} {dstId}         their cluster ids
 *   {mirror}                an ACTIVE mirror topic of bad-link (worker not running)
 *   {stopped}               a STOPPED mirror topic of bad-link (failed over)
 *   {plain}                 a topic on both clusters that is not a mirror
 *   {new}                   a topic name that exists nowhere (its source topic neither)
 *   {srconly}               a topic on the source only (a mirror create of it alone would succeed)
 *   {file:NAME}             the path of input file NAME of the case's `files` (or of FILES below);
 *                           tokens inside file contents and in the patterns are replaced too
 * Fixtures (the config store the command starts from):
 *   store (default)         cluster "dst" (current) → the destination; link "bad-link" (DESTINATION
 *                           mode) from the source; the two mirrors above
 *   none                    no config store at all
 *   corrupt | directory | future-schema   config.json cut off mid-JSON | a directory | schemaVersion 99
 */

export type Fixture = 'store' | 'none' | 'corrupt' | 'directory' | 'future-schema';

export interface BadInput {
  argv: string;
  exit: number;
  stderr: RegExp;
  env?: Record<string, string>;
  fixture?: Fixture;
  files?: Record<string, string>;
  /** What stdout must match; default: empty. Commands over several mirrors print their per-topic result table first. */
  stdout?: RegExp;
}

/** A destination-side ClusterLink (CFK) for the fixture's bad-link with one mirror topic. */
function cr(topic: string): string {
  return [
    'apiVersion: platform.confluent.io/v1beta1', 'kind: ClusterLink', 'metadata:', '  name: bad-link-cr', 'spec:', '  name: bad-link',
    '  destinationKafkaCluster:', '    name: dst', '  sourceKafkaCluster:', '    bootstrapEndpoint: {src}', '  mirrorTopics:', `    - name: ${topic}`, '',
  ].join('\n');
}

/** Input files every case may name with {file:NAME}. */
export const FILES: Record<string, string> = {
  'empty.config': '',
  'bad-protocol.properties': 'bootstrap.servers={dst}\nsecurity.protocol=NOPE\n',
  'sasl-without-jaas.properties': 'bootstrap.servers={dst}\nsecurity.protocol=SASL_PLAINTEXT\nsasl.mechanism=PLAIN\n',
  'wrong-password.config': [
    'bootstrap.servers={srcSasl}', 'security.protocol=SASL_PLAINTEXT', 'sasl.mechanism=PLAIN',
    'sasl.jaas.config=org.apache.kafka.common.security.plain.PlainLoginModule required username="alice" password="not-the-password";', '',
  ].join('\n'),
  'bad-link-config.config': 'bootstrap.servers={src}\nconsumer.offset.sync.ms=-5\n',
  // ClusterLink documents for `clink apply` (CFK's CR shape), about the fixture's bad-link.
  'cr-new.yaml': cr('{new}'),
  'cr-kind.yaml': cr('{new}').replace('kind: ClusterLink', 'kind: KafkaTopic'),
  'cr-typo.yaml': cr('{new}').replace('  mirrorTopics:', '  mirrorTopic:'),
  'cr-type.yaml': `${cr('{new}')}      replicationFactor: three\n`,
  'cr-broken.yaml': 'kind: [\n',
  'cr-disagree.yaml': `${cr('{new}')}---\n${cr('{new}').replace('bootstrapEndpoint: {src}', 'bootstrapEndpoint: {dst}')}`,
  'cr-back-to-active.yaml': `${cr('{stopped}')}      state: ACTIVE\n`,
  'not-yaml.txt': 'just some words\n',
};

const c = (argv: string, exit: number, stderr: RegExp, extra: Omit<BadInput, 'argv' | 'exit' | 'stderr'> = {}): BadInput => ({ argv, exit, stderr, ...extra });

export const BAD_INPUTS: BadInput[] = [
  // the program itself
  c('nosuch', 2, /unknown command 'nosuch'/),
  c('--bogus-flag', 2, /unknown option '--bogus-flag'/),
  c('-o xml cluster list', 2, /argument 'xml' is invalid\. Allowed choices are human, json, yaml/),
  c('completion', 2, /missing required argument 'shell'/),
  c('completion tcsh', 2, /'tcsh' is invalid for argument 'shell'/),

  // cluster
  c('cluster nosuch', 2, /unknown command 'nosuch'/),
  c('cluster add', 2, /missing required argument 'name'/),
  c("cluster add 'bad name!' --bootstrap-server {dst}", 2, /invalid cluster name "bad name!"/),
  c('cluster add dst --bootstrap-server {dst}', 5, /cluster "dst" already exists/),
  c('cluster add other --no-validate', 2, /missing bootstrap servers/),
  c("cluster add other --bootstrap-server 'not a host' --no-validate", 2, /invalid bootstrap server "not a host"/),
  c('cluster add other --bootstrap-server localhost:99999 --no-validate', 2, /invalid bootstrap server "localhost:99999"/),
  c('cluster add other --bootstrap-server {dst} --config nokeyvalue', 2, /failed to parse "key=value" pattern from configuration: nokeyvalue/),
  c('cluster add other --bootstrap-server {dst} --config-file /nonexistent/client.properties', 4, /config file "\/nonexistent\/client\.properties" not found/),
  c('cluster add other --config-file {file:bad-protocol.properties}', 2, /security\.protocol must be one of PLAINTEXT, SSL, SASL_PLAINTEXT, SASL_SSL/),
  c('cluster add other --config-file {file:sasl-without-jaas.properties}', 2, /sasl\.jaas\.config must be set when security\.protocol is SASL_PLAINTEXT/),
  c('cluster add other --bootstrap-server {dst} --config-file /tmp', 2, /cannot read config file "\/tmp": it is a directory/),
  c('cluster add other --bootstrap-server 127.0.0.1:1', 3, /cannot reach the cluster "other" at 127\.0\.0\.1:1/),
  c('cluster list extra-arg', 2, /too many arguments for 'list'/),
  c('cluster describe nosuch', 4, /cluster "nosuch" not found/),
  c('cluster use nosuch', 4, /cluster "nosuch" not found/),
  c('cluster delete nosuch', 4, /cluster "nosuch" not found/),
  c('cluster delete dst', 5, /cluster "dst" is the destination of cluster link "bad-link"/),
  c('cluster list', 1, /cannot read the config store ".*config\.json": /, { fixture: 'corrupt' }),
  c('cluster add other --bootstrap-server {dst} --no-validate', 1, /cannot read the config store ".*config\.json"/, { fixture: 'corrupt' }),
  c('cluster list', 1, /cannot read the config store ".*config\.json": it is a directory/, { fixture: 'directory' }),
  c('cluster add other --bootstrap-server {dst} --no-validate', 1, /has schema version 99, newer than this clink understands/, { fixture: 'future-schema' }),

  // link
  c('link create', 2, /missing required argument 'link'/),
  c('link create bad-link --source-bootstrap-server {src}', 5, /cluster link "bad-link" already exists/),
  c("link create 'bad/link' --source-bootstrap-server {src}", 2, /invalid cluster link name "bad\/link"/),
  c('link create other-link', 2, /missing source bootstrap servers/),
  c('link create other-link --config-file {file:empty.config}', 2, /missing source bootstrap servers/),
  c('link create other-link --source-bootstrap-server {src} --config link.mode=SIDEWAYS', 2, /unrecognized link mode "SIDEWAYS"/),
  c('link create other-link --source-bootstrap-server {src} --config consumer.offset.sync.enable=maybe', 2, /consumer\.offset\.sync\.enable must be a boolean \(true or false\), not "maybe"/),
  c('link create other-link --source-bootstrap-server {src} --config link.prefix=dr.', 2, /unknown link config "link\.prefix"/),
  c('link create other-link --config-file {file:bad-protocol.properties}', 2, /security\.protocol must be one of/),
  c('link configuration list bad-link extra', 2, /too many arguments for 'list'/),
  c('link create other-link --source-bootstrap-server {src} --config consumer.offset.sync.ms=abc', 2, /consumer\.offset\.sync\.ms must be a positive integer, not "abc"/),
  c('link create other-link --config-file {file:bad-link-config.config}', 2, /consumer\.offset\.sync\.ms must be a positive integer, not "-5"/),
  c('link create other-link --source-bootstrap-server {src} --config no.such.config=1', 2, /unknown link config "no\.such\.config"/),
  c('link create other-link --source-bootstrap-server {src} --config consumer.offset.group.filters=notjson', 2, /invalid JSON in consumer\.offset\.group\.filters/),
  c("link create other-link --source-bootstrap-server {src} --config 'topic.config.sync.include=['", 2, /topic\.config\.sync\.include lists "\[", which is not a topic config that can be synced/),
  c('link create other-link --source-bootstrap-server {src} --config-file /nonexistent/dr-link.config', 4, /config file "\/nonexistent\/dr-link\.config" not found/),
  c('link create other-link --source-bootstrap-server {src} --cluster nosuch', 4, /cluster "nosuch" not found/),
  c('link create other-link --source-bootstrap-server {src}', 4, /cluster "nosuch" not found/, { env: { CLINK_CLUSTER: 'nosuch' } }),
  c('link create other-link --source-bootstrap-server {src}', 2, /no destination cluster selected/, { fixture: 'none' }),
  c('link create other-link --source-bootstrap-server {src} --source-cluster AAAAAAAAAAAAAAAAAAAAAA', 5, /AAAAAAAAAAAAAAAAAAAAAA/),
  c('link create other-link --source-bootstrap-server 127.0.0.1:1', 3, /127\.0\.0\.1:1/),
  c('link create other-link --config-file {file:wrong-password.config}', 1, /authenticat/i),
  c('link create other-link --source-bootstrap-server {src} --no-validate', 1, /cannot read the config store/, { fixture: 'corrupt' }),
  c('link delete nosuch --force', 4, /cluster link "nosuch" not found/),
  c('link delete bad-link', 2, /confirmation required but standard input is not a terminal/),
  c('link describe nosuch', 4, /cluster link "nosuch" not found/),
  c('-o json link describe nosuch', 4, /"code": "NOT_FOUND"[\s\S]*"exit_code": 4/),
  c('link list --cluster nosuch', 2, /unknown option '--cluster'/),
  c('link configuration list nosuch', 4, /cluster link "nosuch" not found/),
  c('link configuration update nosuch --config consumer.offset.sync.ms=1000', 4, /cluster link "nosuch" not found/),
  c('link configuration update bad-link', 2, /no configs to update/),
  c('link configuration update bad-link --config consumer.offset.sync.ms=abc', 2, /consumer\.offset\.sync\.ms must be a positive integer/),
  c('link configuration update bad-link --config no.such=1', 2, /unknown link config "no\.such"/),
  c('link configuration update bad-link --config link.mode=BIDIRECTIONAL', 2, /link\.mode cannot be changed after the link is created/),
  c('link create other-link --source-bootstrap-server {src} --config mirror.transactions=maybe', 2, /mirror\.transactions must be exact or fillers, not "maybe"/),
  c('link configuration update bad-link --config mirror.transactions=EXACTLY', 2, /mirror\.transactions must be exact or fillers, not "EXACTLY"/),
  c('link configuration update bad-link --config-file /nonexistent/x.config', 4, /config file "\/nonexistent\/x\.config" not found/),

  // mirror
  c('mirror create {new}', 2, /required option '--link <link>' not specified/),
  c('mirror create {new} --link nosuch', 4, /cluster link "nosuch" not found/),
  c("mirror create 'bad topic' --link bad-link", 2, /invalid topic name "bad topic"/),
  c('mirror create {new} --link bad-link --no-start', 4, /\{new\}/),
  c('mirror create {mirror} --link bad-link --no-start', 5, /\{mirror\}/),
  c('mirror create {plain} --link bad-link --no-start', 5, /\{plain\}/),
  c('mirror create {new} --link bad-link --replication-factor zero', 2, /invalid replication factor/),
  c('mirror create {new} --link bad-link --config nokv', 2, /failed to parse "key=value" pattern from configuration: nokv/),
  c('mirror create {new} --link bad-link --config retention.ms=abc', 2, /retention\.ms is synced from the source topic and cannot be set on a mirror topic/),
  c('mirror create {srconly} {plain} --link bad-link --no-start', 5, /topic "\{plain\}" already exists on the destination/),
  c('mirror create {srconly} {new} {plain} --link bad-link --no-start', 4, /2 of 3 mirror topics cannot be created, so none was: source topic "\{new\}" not found.*; topic "\{plain\}" already exists/),
  c('mirror create {srconly} {mirror} --link bad-link --no-start', 5, /mirror topic "\{mirror\}" already exists on cluster link "bad-link"/),
  c("mirror create {srconly} 'bad topic' --link bad-link", 2, /invalid topic name "bad topic"/),
  c('mirror create {srconly} {srconly} --link bad-link', 2, /mirror topic "\{srconly\}" is given more than once/),
  c('mirror create {srconly} {new} --link bad-link --source-topic {srconly}', 2, /--source-topic names one source topic, but 2 mirror topics were given/),
  c('mirror list --link nosuch', 4, /cluster link "nosuch" not found/),
  c('mirror list --link bad-link extra', 2, /too many arguments for 'list'/),
  c('mirror describe', 2, /required option '--link <link>' not specified/),
  c('mirror describe {new} --link bad-link', 4, /mirror topic "\{new\}" not found on cluster link "bad-link"/),
  c('-o json mirror describe {new} --link bad-link', 4, /"code": "NOT_FOUND"/),
  c('mirror describe {mirror} --link nosuch', 4, /cluster link "nosuch" not found/),
  c('mirror failover {new}', 2, /required option '--link <link>' not specified/),
  c('mirror failover {new} --link bad-link', 4, /mirror topic "\{new\}" not found/, { stdout: /Error Code/ }),
  c('mirror failover {stopped} {new} --link bad-link', 1, /2 of 2 mirror topics could not be failed over/, { stdout: /\{new\}" not found[\s\S]*STOPPED/ }),
  c('mirror failover {stopped} --link bad-link', 5, /mirror topic "\{stopped\}" is STOPPED and cannot be failed over/, { stdout: /Error Code/ }),
  c('mirror failover {stopped} --link bad-link --dry-run', 5, /STOPPED/, { stdout: /Error Code/ }),
  c('mirror promote {mirror} --link bad-link --timeout forever', 2, /invalid duration "forever" for --timeout/),
  c('mirror promote {new} --link bad-link', 4, /mirror topic "\{new\}" not found/),
  c('mirror promote {stopped} --link bad-link', 5, /STOPPED/),
  c('mirror pause {new} --link bad-link', 4, /mirror topic "\{new\}" not found/, { stdout: /Error Code/ }),
  c('mirror pause {stopped} --link bad-link', 5, /STOPPED/, { stdout: /Error Code/ }),
  c('mirror resume {new} --link bad-link', 4, /mirror topic "\{new\}" not found/, { stdout: /Error Code/ }),
  c('mirror resume {stopped} --link bad-link', 5, /STOPPED/, { stdout: /Error Code/ }),
  c('mirror reverse-and-start {mirror} --link bad-link', 5, /cluster link "bad-link" is not bidirectional/),
  c('mirror reverse-and-pause {mirror} --link bad-link --timeout -5s', 2, /invalid duration "-5s" for --timeout/),
  c('mirror reverse-and-pause {mirror} --link bad-link', 5, /cluster link "bad-link" is not bidirectional/),
  c('mirror truncate-and-restore {stopped} --link bad-link', 5, /cluster link "bad-link" is not bidirectional/),
  c('mirror verify', 2, /required option '--link <link>' not specified/),
  c('mirror verify {new} --link bad-link', 4, /mirror topic "\{new\}" not found/),

  // link task list
  c('link task list', 2, /missing required argument 'link'/),
  c('link task list nosuch', 4, /cluster link "nosuch" not found/),
  c('-o json link task list nosuch', 4, /"code": "NOT_FOUND"/),
  c('-o xml link task list bad-link', 2, /argument 'xml' is invalid\. Allowed choices are human, json, yaml/),
  c('link task list bad-link extra', 2, /too many arguments for 'list'/),
  c('link task nosuch', 2, /unknown command 'nosuch'/),

  // apply
  c('apply', 2, /no ClusterLink document found/),
  c('apply -f /nonexistent/clusterlink.yaml', 4, /file "\/nonexistent\/clusterlink\.yaml" not found/),
  c('apply -f {file:cr-broken.yaml}', 2, /cr-broken\.yaml, document 1 \(line 2\): invalid YAML/),
  c('apply -f {file:empty.config}', 2, /no ClusterLink document found/),
  c('apply -f {file:not-yaml.txt}', 2, /not-yaml\.txt, document 1, kind \(line 1\): kind "" is not supported/),
  c('apply -f {file:cr-kind.yaml}', 2, /kind "KafkaTopic" is not supported/),
  c('-o json apply -f {file:cr-kind.yaml}', 2, /"code": "INVALID_CONFIG"/),
  c('apply -f {file:cr-typo.yaml}', 2, /unknown field "mirrorTopic" in spec\. Did you mean `mirrorTopics`\?/),
  c('apply -f {file:cr-type.yaml}', 2, /spec\.mirrorTopics\[0\]\.replicationFactor must be integer, not string/),
  c('apply -f {file:cr-disagree.yaml}', 5, /2 documents describe cluster link "bad-link" .* and they disagree/),
  c('apply -f {file:cr-new.yaml} --dry-run', 4, /source topic "\{new\}"/),
  c('apply -f {file:cr-new.yaml}', 4, /source topic "\{new\}"/),
  c('apply -f {file:cr-back-to-active.yaml}', 5, /\{stopped\}/),
  c('apply -f {file:cr-new.yaml} --bogus', 2, /unknown option '--bogus'/),

  // mirror --watch (off a terminal: no TTY in this harness)
  c('mirror list --watch', 2, /--watch redraws the screen in human output, and standard output is not a terminal/),
  c('mirror list --watch abc', 2, /invalid interval "abc" for --watch/),
  c('-o json mirror list --watch 0', 2, /invalid interval \\"0\\" for --watch/),
  c('mirror describe {mirror} --link bad-link --watch', 2, /standard output is not a terminal/),
  c('mirror describe {mirror} --link bad-link --watch -3', 2, /invalid interval "-3" for --watch/),
  c('-o json mirror list --link nosuch --watch 1', 4, /"code": "NOT_FOUND"/),
  c('-o json mirror describe {new} --link bad-link --watch 1', 4, /mirror topic \\"\{new\}\\" not found/),

  // mirror state-transition-error list
  c('mirror state-transition-error list --link bad-link', 2, /missing required argument 'mirror-topic'/),
  c('mirror state-transition-error list {mirror}', 2, /required option '--link <link>' not specified/),
  c('mirror state-transition-error list {mirror} --link nosuch', 4, /cluster link "nosuch" not found/),
  c('mirror state-transition-error list {new} --link bad-link', 4, /mirror topic "\{new\}" not found on cluster link "bad-link"/),
  c('-o json mirror state-transition-error list {new} --link bad-link', 4, /"code": "NOT_FOUND"/),
  c('mirror state-transition-error nosuch', 2, /unknown command 'nosuch'/),
  // A promote the state machine refuses (the fixture's mirror never ran: PENDING_MIRROR) is not a failed transition: nothing is recorded.
  c('mirror promote {mirror} --link bad-link', 5, /mirror topic "\{mirror\}" is PENDING_MIRROR and cannot be promoted/),

  // worker
  c('worker start', 2, /missing required argument 'link'/),
  c('worker start nosuch', 4, /cluster link "nosuch" not found/),
  c('worker stop nosuch', 4, /cluster link "nosuch" not found/),
  c('worker status nosuch', 4, /cluster link "nosuch" not found/),
  c('worker logs nosuch', 4, /cluster link "nosuch" not found/),
  c('worker logs bad-link --lines abc', 2, /argument 'abc' is invalid\. Give a whole number of lines/),
  c('worker logs bad-link --lines -3', 2, /argument '-3' is invalid/),
  c('worker start bad-link --http-port abc', 2, /Error: invalid --http-port "abc"[\s\S]*Suggestions:[\s\S]*--http-port 9464/),
  c('worker start bad-link --http-port 65536', 2, /Error: invalid --http-port "65536"/),
  c('worker run bad-link --http-port 9464x', 2, /Error: invalid --http-port "9464x"/),
  c('worker start bad-link --http-port', 2, /option '--http-port <port>' argument missing/),
  c('link configuration update bad-link --config http.listen=localhost --no-start', 2, /http\.listen must be \[host:\]port with a port between 0 and 65535, not "localhost"[\s\S]*Suggestions:[\s\S]*http\.listen=127\.0\.0\.1:9464/),
  c('link configuration update bad-link --config http.listen=127.0.0.1:99999 --no-start', 2, /http\.listen must be \[host:\]port/),
  c('worker status bad-link extra', 2, /too many arguments for 'status'/),
  c('worker run nosuch', 4, /cluster link "nosuch" not found/),
  c('worker start bad-link', 1, /cannot read the config store/, { fixture: 'corrupt' }),
];
