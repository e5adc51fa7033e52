/**
 * From YAML text to DocSpecs: every document of the text is parsed, checked against
 * docs/clusterlink.schema.json and turned into a DocSpec. Problems are collected for all documents
 * (each naming file, document, YAML path and line), never thrown one by one, so a user sees every
 * mistake of a file at once. Pure: the caller reads the files and the schema.
 */
import { LineCounter, parseAllDocuments } from 'yaml';
import { checkAgainstSchema, type RootSchema, type SpecProblem } from './schema-check.js';
import { CFK_API_VERSION, CLINK_API_VERSION, KIND, type ClusterSpec, type DocSpec, type MirrorSpec, type SpecState } from './model.js';
import { toClientConfig, type Authentication, type Tls } from './cluster-security.js';
import type { SecretRule } from './secret-ref.js';

export interface ParseProblem extends SpecProblem {
  file: string;
  document: number;
}

export interface ParseResult {
  docs: DocSpec[];
  problems: ParseProblem[];
  /** `file: document N: path` of every Kubernetes-only field present. */
  ignored: string[];
}

type Json = Record<string, unknown>;
const obj = (v: unknown): Json => (v && typeof v === 'object' && !Array.isArray(v) ? (v as Json) : {});
const str = (v: unknown): string | undefined => (v === undefined || v === null ? undefined : String(v));

function stringMap(v: unknown): Record<string, string> {
  return Object.fromEntries(Object.entries(obj(v)).map(([k, x]) => [k, String(x)]));
}

export function parseSpecText(text: string, file: string, schema: RootSchema, rule: SecretRule): ParseResult {
  const lines = new LineCounter();
  const result: ParseResult = { docs: [], problems: [], ignored: [] };
  const documents = parseAllDocuments(text, { lineCounter: lines });
  const list = Array.isArray(documents) ? documents : [];
  let index = 0;
  for (const doc of list) {
    if (doc.contents === null && doc.errors.length === 0) continue; // an empty document (e.g. after a trailing ---)
    index += 1;
    const at = (problem: SpecProblem) => result.problems.push({ ...problem, file, document: index });
    if (doc.errors.length > 0) {
      for (const e of doc.errors) at({ path: '', line: e.linePos?.[0]?.line ?? 1, message: `invalid YAML: ${e.message.split('\n')[0]}` });
      continue;
    }
    const raw = obj(doc.toJS());
    const line = doc.contents?.range ? lines.linePos(doc.contents.range[0]).line : 1;
    // apiVersion and kind first: a document of another kind is not checked field by field.
    if (raw.kind !== KIND) {
      at({ path: 'kind', line, message: `kind "${String(raw.kind ?? '')}" is not supported`, suggestion: `clink apply takes \`kind: ${KIND}\`.` });
      continue;
    }
    if (raw.apiVersion !== CFK_API_VERSION && raw.apiVersion !== CLINK_API_VERSION) {
      at({ path: 'apiVersion', line, message: `apiVersion "${String(raw.apiVersion ?? '')}" is not supported`, suggestion: `Use \`apiVersion: ${CFK_API_VERSION}\` (Confluent for Kubernetes) or \`apiVersion: ${CLINK_API_VERSION}\`.` });
      continue;
    }
    const checked = checkAgainstSchema(doc.contents, schema, lines);
    for (const p of checked.problems) at(p);
    for (const p of checked.ignored) result.ignored.push(`${file}: document ${index}: ${p}`);
    if (checked.problems.length > 0) continue;

    const metadata = obj(raw.metadata);
    const spec = obj(raw.spec);
    const resource = String(metadata.name);
    const origin = { file, document: index, resource, line };
    const cluster = (which: 'sourceKafkaCluster' | 'destinationKafkaCluster'): ClusterSpec => {
      const c = obj(spec[which]);
      const mapped = toClientConfig(c.authentication as Authentication | undefined, c.tls as Tls | undefined, rule);
      for (const m of mapped.problems) at({ path: `spec.${which}`, line, message: `spec.${which}: ${m}` });
      return {
        ...(str(c.name) ? { name: str(c.name) } : {}),
        ...(str(c.bootstrapEndpoint) ? { bootstrapEndpoint: str(c.bootstrapEndpoint) } : {}),
        ...(str(c.clusterID) ? { clusterId: str(c.clusterID) } : {}),
        clientConfig: mapped.config,
      };
    };
    const source = cluster('sourceKafkaCluster');
    const destination = cluster('destinationKafkaCluster');
    if (!source.name && !source.bootstrapEndpoint) at({ path: 'spec.sourceKafkaCluster', line, message: 'spec.sourceKafkaCluster needs bootstrapEndpoint or the name of a registered cluster' });
    if (!destination.name && !destination.bootstrapEndpoint) at({ path: 'spec.destinationKafkaCluster', line, message: 'spec.destinationKafkaCluster needs the name (or bootstrapEndpoint) of a registered cluster' });

    const configs = stringMap(spec.configs);
    const structured: Record<string, string> = {};
    const options = obj(spec.mirrorTopicOptions);
    if (options.prefix !== undefined) structured['cluster.link.prefix'] = String(options.prefix);
    const auto = obj(options.autoCreateTopics);
    if (auto.enabled !== undefined) structured['auto.create.mirror.topics.enable'] = String(auto.enabled);
    if (auto.topicFilters !== undefined) structured['auto.create.mirror.topics.filters'] = JSON.stringify({ topicFilters: auto.topicFilters });
    if (spec.aclFilters !== undefined) {
      structured['acl.sync.enable'] = 'true';
      structured['acl.filters'] = JSON.stringify({ aclFilters: spec.aclFilters });
    }
    if (spec.consumerGroupFilters !== undefined) {
      structured['consumer.offset.sync.enable'] = 'true';
      structured['consumer.offset.group.filters'] = JSON.stringify({ groupFilters: spec.consumerGroupFilters });
    }
    const bidirectional = obj(spec.sourceInitiatedLink).linkMode === 'Bidirectional';
    if (bidirectional) structured['link.mode'] = 'BIDIRECTIONAL';
    for (const [key, value] of Object.entries(structured)) {
      if (configs[key] !== undefined && configs[key] !== value) {
        at({ path: `spec.configs.${key}`, line, message: `spec.configs.${key} contradicts the structured field that sets it to "${value}"`, suggestion: `Keep only one of the two.` });
      }
      configs[key] = value;
    }

    const mirrorNodes = (doc.getIn(['spec', 'mirrorTopics'], true) as { items?: Array<{ range?: [number, number, number] }> } | undefined)?.items ?? [];
    const mirrors: MirrorSpec[] = (Array.isArray(spec.mirrorTopics) ? spec.mirrorTopics : []).map((m, i) => {
      const o = obj(m);
      const range = mirrorNodes[i]?.range;
      return {
        name: String(o.name),
        ...(str(o.sourceTopicName) ? { sourceTopicName: str(o.sourceTopicName) } : {}),
        state: (str(o.state) ?? 'ACTIVE') as SpecState,
        configs: stringMap(o.configs),
        ...(typeof o.replicationFactor === 'number' ? { replicationFactor: o.replicationFactor } : {}),
        path: `spec.mirrorTopics[${i}]`,
        line: range ? lines.linePos(range[0]).line : line,
      };
    });
    const seen = new Set<string>();
    for (const m of mirrors) {
      if (seen.has(m.name)) at({ path: m.path, line: m.line, message: `mirror topic "${m.name}" is listed twice` });
      seen.add(m.name);
    }
    result.docs.push({ origin, apiVersion: String(raw.apiVersion), linkName: str(spec.name) ?? resource, source, destination, bidirectional, configs, mirrors });
  }
  return result;
}
