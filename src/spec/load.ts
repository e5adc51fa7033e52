/**
 * Everything `clink apply` does before it changes anything: read every file (a file, every
 * *.yaml|*.yml|*.json of a directory in name order, or `-` for standard input), parse and check all
 * documents, look up the source topics of new mirrors, and build the plan. Invariant: any problem in
 * any document throws one error listing them all, before a single change is made.
 */
import fs from 'node:fs/promises';
import path from 'node:path';
import { ClinkError, ErrorCode, NotFoundError } from '../core/errors.js';
import type { ClusterEndpoint, StoreData } from '../core/ports.js';
import type { LinkDeps } from '../core/usecases/link-ports.js';
import type { MirrorDeps } from '../core/usecases/mirror-ports.js';
import { describeOrigin, type DocSpec } from './model.js';
import { parseSpecText, type ParseProblem } from './parse.js';
import { mirrorFactKey, plan, type Plan, type PlanProblem } from './plan.js';
import type { RootSchema } from './schema-check.js';
import type { SecretRule } from './secret-ref.js';

export interface Source {
  name: string;
  text: string;
}

export async function loadSchema(): Promise<RootSchema> {
  const file = new URL('../../docs/clusterlink.schema.json', import.meta.url);
  return JSON.parse(await fs.readFile(file, 'utf8')) as RootSchema;
}

export async function readSources(paths: string[], readStdin: () => Promise<string>): Promise<Source[]> {
  const out: Source[] = [];
  for (const p of paths) {
    if (p === '-') {
      out.push({ name: '<stdin>', text: await readStdin() });
      continue;
    }
    const stat = await fs.stat(p).catch(() => undefined);
    if (!stat) throw new NotFoundError(`file "${p}" not found`, { suggestion: 'Pass a ClusterLink YAML file, a directory of them, or `-` for standard input.' });
    if (stat.isDirectory()) {
      const names = (await fs.readdir(p)).filter((n) => /\.(ya?ml|json)$/i.test(n)).sort();
      for (const n of names) out.push({ name: path.join(p, n), text: await fs.readFile(path.join(p, n), 'utf8') });
    } else out.push({ name: p, text: await fs.readFile(p, 'utf8') });
  }
  return out;
}

function fail(problems: Array<ParseProblem | PlanProblem>, code: ErrorCode): never {
  const where = (p: ParseProblem | PlanProblem): string => {
    if ('file' in p) return `${p.file}, document ${p.document}${p.path ? `, ${p.path}` : ''} (line ${p.line})`;
    return `${p.origin ? describeOrigin(p.origin) : 'the spec'}${p.path ? `, ${p.path}` : ''}${p.line ? ` (line ${p.line})` : ''}`;
  };
  const lines = problems.map((p) => `  ${where(p)}: ${p.message}${p.suggestion ? `. ${p.suggestion}` : ''}`);
  throw new ClinkError(code, `${problems.length === 1 ? 'the spec has a problem' : `the spec has ${problems.length} problems`}, so nothing was applied:\n${lines.join('\n')}`, {
    suggestion: 'Fix the documents and run `clink apply` again; `--dry-run` shows the plan without changing anything.',
    context: { problems: problems.map((p) => ({ where: where(p), message: p.message })) },
  });
}

export function parseSources(sources: Source[], schema: RootSchema, rule: SecretRule): { docs: DocSpec[]; ignored: string[] } {
  const docs: DocSpec[] = [];
  const ignored: string[] = [];
  const problems: ParseProblem[] = [];
  for (const s of sources) {
    const r = parseSpecText(s.text, s.name, schema, rule);
    docs.push(...r.docs);
    ignored.push(...r.ignored);
    problems.push(...r.problems);
  }
  if (problems.length > 0) fail(problems, ErrorCode.INVALID_CONFIG);
  if (docs.length === 0) fail([{ file: sources.map((s) => s.name).join(', ') || '<none>', document: 0, path: '', line: 1, message: 'no ClusterLink document found' }], ErrorCode.INVALID_CONFIG);
  return { docs, ignored };
}

/** Checks that every secret a document references exists now (files of --secrets-dir, or env variables). */
export async function checkSecrets(docs: DocSpec[], env: NodeJS.ProcessEnv): Promise<PlanProblem[]> {
  const problems: PlanProblem[] = [];
  for (const d of docs) {
    for (const [which, c] of [['sourceKafkaCluster', d.source], ['destinationKafkaCluster', d.destination]] as const) {
      for (const [key, value] of Object.entries(c.clientConfig)) {
        for (const m of value.matchAll(/\$\{(env|dir):([^}]*)\}/g)) {
          if (m[1] === 'env' && env[m[2]!] === undefined) problems.push({ code: ErrorCode.NOT_FOUND, origin: d.origin, path: `spec.${which}`, message: `the secret for ${key} is the environment variable ${m[2]}, which is not set`, suggestion: 'Set it, or pass `--secrets-dir DIR` with the secret as DIR/<secretRef>/<file>.' });
          if (m[1] === 'dir') {
            const at = m[2]!.lastIndexOf(':');
            const file = path.join(m[2]!.slice(0, at), m[2]!.slice(at + 1));
            if (!(await fs.stat(file).catch(() => undefined))) problems.push({ code: ErrorCode.NOT_FOUND, origin: d.origin, path: `spec.${which}`, message: `the secret file for ${key} is missing: ${file}`, suggestion: 'Mount or write the secret there (a directory per secretRef, a file per key).' });
          }
        }
      }
      const location = c.clientConfig['ssl.truststore.location'];
      if (location && !(await fs.stat(location).catch(() => undefined))) problems.push({ code: ErrorCode.NOT_FOUND, origin: d.origin, path: `spec.${which}.tls.secretRef`, message: `the CA file is missing: ${location}` });
    }
  }
  return problems;
}

export interface PlanDeps {
  link: LinkDeps;
  mirror: MirrorDeps;
}

export async function buildPlan(docs: DocSpec[], options: { prune: boolean }, deps: PlanDeps): Promise<{ plan: Plan; store: StoreData }> {
  const secretProblems = await checkSecrets(docs, deps.link.env);
  const store = await deps.link.store.read();
  const base = {
    docs,
    store,
    normalizeConfigs: (c: Record<string, string>) => deps.link.rules.validateLinkConfigs({ 'link.mode': 'DESTINATION', ...c }),
    isClientKey: (k: string) => deps.link.rules.isClientConfigKey(k),
    isSensitive: (k: string) => deps.link.rules.isSensitiveKey(k),
    prune: options.prune,
  };
  // First pass: which mirrors are new, and where their source topics are.
  const first = plan({ ...base, sourceTopics: new Map() });
  if (first.problems.length === 0) {
    const facts = new Map<string, boolean>();
    await Promise.all(
      first.links.flatMap((l) =>
        l.mirrors
          .filter((m) => m.action === 'create')
          .map(async (m) => {
            const registered = store.clusters[l.destination]!;
            const endpoint: ClusterEndpoint = m.reversed
              ? { bootstrapServers: registered.bootstrapServers, clientConfig: registered.clientConfig, label: `cluster "${registered.name}"` }
              : { bootstrapServers: l.sourceBootstrapServers, clientConfig: l.sourceClientConfig, label: `source cluster of link "${l.name}"` };
            facts.set(mirrorFactKey(l.name, m.topic), (await deps.mirror.topics.describeTopic(endpoint, m.sourceTopic)) !== undefined);
          }),
      ),
    );
    const second = plan({ ...base, sourceTopics: facts });
    const problems = [...secretProblems, ...second.problems];
    if (problems.length > 0) fail(problems, problems[0]!.code);
    return { plan: second, store };
  }
  const problems = [...secretProblems, ...first.problems];
  return fail(problems, problems[0]!.code);
}
