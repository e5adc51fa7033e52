/**
 * Checks one YAML document against docs/clusterlink.schema.json, node by node, so that every problem
 * names its YAML path and line. Only the JSON Schema keywords that schema uses are understood
 * (type, enum, required, properties, additionalProperties, items, minimum, $ref); the extension
 * `x-clink-ignored` marks Kubernetes-only fields, which are collected instead of interpreted.
 * Invariant: it never throws; it returns every problem it found, in document order.
 */
import { isMap, isScalar, isSeq, type LineCounter, type Node } from 'yaml';
import { closestMatch } from '../core/did-you-mean.js';

export interface SchemaNode {
  type?: string | string[];
  enum?: unknown[];
  required?: string[];
  properties?: Record<string, SchemaNode>;
  additionalProperties?: boolean | SchemaNode;
  items?: SchemaNode;
  minimum?: number;
  $ref?: string;
  'x-clink-ignored'?: boolean;
}

export interface RootSchema extends SchemaNode {
  $defs?: Record<string, SchemaNode>;
}

export interface SpecProblem {
  /** `spec.mirrorTopics[0].state` */
  path: string;
  line: number;
  message: string;
  suggestion?: string;
}

export interface CheckResult {
  problems: SpecProblem[];
  /** Paths of Kubernetes-only fields present in the document. */
  ignored: string[];
}

const join = (path: string, key: string | number): string => (typeof key === 'number' ? `${path}[${key}]` : path ? `${path}.${key}` : key);

function typeOf(node: unknown): string {
  if (isMap(node)) return 'object';
  if (isSeq(node)) return 'array';
  if (isScalar(node)) {
    const v = node.value;
    if (v === null || v === undefined) return 'null';
    if (typeof v === 'number') return Number.isInteger(v) ? 'integer' : 'number';
    return typeof v;
  }
  return 'unknown';
}

const matches = (actual: string, wanted: string): boolean => actual === wanted || (wanted === 'number' && actual === 'integer');

export function checkAgainstSchema(root: Node | null | undefined, schema: RootSchema, lines: LineCounter): CheckResult {
  const result: CheckResult = { problems: [], ignored: [] };
  const lineOf = (node: unknown, fallback: number): number => {
    const range = (node as Node | undefined)?.range;
    return range ? lines.linePos(range[0]).line : fallback;
  };
  const resolve = (s: SchemaNode): SchemaNode => {
    if (!s.$ref) return s;
    const name = s.$ref.replace('#/$defs/', '');
    return schema.$defs?.[name] ?? {};
  };

  const walk = (node: unknown, s0: SchemaNode, path: string, parentLine: number): void => {
    const s = resolve(s0);
    const line = lineOf(node, parentLine);
    if (s['x-clink-ignored']) {
      result.ignored.push(path);
      return;
    }
    const actual = typeOf(node);
    if (s.type !== undefined) {
      const wanted = Array.isArray(s.type) ? s.type : [s.type];
      if (!wanted.some((w) => matches(actual, w))) {
        result.problems.push({ path, line, message: `${path || 'the document'} must be ${wanted.join(' or ')}, not ${actual}` });
        return;
      }
    }
    if (s.enum && isScalar(node) && !s.enum.includes(node.value)) {
      const near = closestMatch(String(node.value), s.enum.map(String));
      result.problems.push({
        path,
        line,
        message: `${path} is "${String(node.value)}", which is not one of ${s.enum.join(', ')}`,
        ...(near ? { suggestion: `Did you mean \`${near}\`?` } : {}),
      });
    }
    if (s.minimum !== undefined && isScalar(node) && typeof node.value === 'number' && node.value < s.minimum) {
      result.problems.push({ path, line, message: `${path} must be at least ${s.minimum}` });
    }
    if (isMap(node)) {
      const seen = new Set<string>();
      for (const pair of node.items) {
        const key = isScalar(pair.key) ? String(pair.key.value) : String(pair.key);
        seen.add(key);
        const child = join(path, key);
        const sub = s.properties?.[key];
        if (sub) walk(pair.value, sub, child, lineOf(pair.key, line));
        else if (typeof s.additionalProperties === 'object') walk(pair.value, s.additionalProperties, child, lineOf(pair.key, line));
        else if (s.additionalProperties === false) {
          const near = closestMatch(key, Object.keys(s.properties ?? {}));
          result.problems.push({
            path: child,
            line: lineOf(pair.key, line),
            message: `unknown field "${key}" in ${path || 'the document'}`,
            suggestion: near ? `Did you mean \`${near}\`?` : `Known fields here: ${Object.keys(s.properties ?? {}).join(', ')}.`,
          });
        }
      }
      for (const req of s.required ?? []) {
        if (!seen.has(req)) result.problems.push({ path: join(path, req), line, message: `missing required field "${join(path, req)}"` });
      }
    }
    if (isSeq(node) && s.items) node.items.forEach((item, i) => walk(item, s.items!, join(path, i), line));
  };
  walk(root, schema, '', 1);
  return result;
}
