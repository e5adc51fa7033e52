/**
 * The plan as people read it: a diff per object (`+` added, `~` changed, `-` deleted), kubectl-style
 * object names (`clusterlink/<link>`, `mirrortopic/<link>/<topic>`). Invariant: the value of a
 * sensitive config is never shown, only that it is set or changes.
 */
import type { ConfigChange, LinkPlan, MirrorPlan, Plan } from './plan.js';

export const MASK = '********';
export const linkObject = (link: string) => `clusterlink/${link}`;
export const mirrorObject = (link: string, topic: string) => `mirrortopic/${link}/${topic}`;

const shown = (c: ConfigChange, v: string | undefined) => (v === undefined ? '' : c.sensitive ? MASK : v);

function changeLine(c: ConfigChange): string {
  if (c.from === undefined) return `  + ${c.key}: ${shown(c, c.to)}`;
  return `  ~ ${c.key}: ${shown(c, c.from)} -> ${shown(c, c.to)}`;
}

export function mirrorSummary(link: string, m: MirrorPlan): string {
  const name = mirrorObject(link, m.topic);
  const dir = m.reversed ? ', reversed' : '';
  switch (m.action) {
    case 'create':
      return `+ ${name}: create from ${m.sourceTopic}${dir}${m.state && m.state !== 'ACTIVE' ? `, then ${m.operation} (state ${m.state})` : ''}`;
    case 'configure':
      return `~ ${name}: ${m.from} -> ${m.state} (${m.operation})`;
    case 'unchanged':
      return `  ${name}: unchanged`;
    case 'delete':
      return `- ${name}: delete (--prune; its topic is deleted)`;
    case 'keep':
      return `  ${name}: not in the spec, kept (--prune would delete it)`;
  }
}

export function linkSummary(l: LinkPlan): string[] {
  const head = l.action === 'create' ? `+ ${linkObject(l.name)}: create (destination "${l.destination}")` : l.action === 'configure' ? `~ ${linkObject(l.name)}: configure` : `  ${linkObject(l.name)}: unchanged`;
  const lines = [head, ...l.changes.map(changeLine)];
  if (l.kept.length > 0) lines.push(`  (configs not in the spec are kept: ${l.kept.join(', ')})`);
  return lines;
}

export function renderPlan(plan: Plan): string {
  const lines: string[] = [];
  for (const l of plan.links) {
    lines.push(...linkSummary(l));
    for (const m of l.mirrors) lines.push(mirrorSummary(l.name, m));
  }
  return lines.join('\n') + '\n';
}

/** The plan as data (-o json|yaml), secrets masked the same way. */
export function planData(plan: Plan): unknown {
  return plan.links.map((l) => ({
    object: linkObject(l.name),
    action: l.action,
    destination: l.destination,
    changes: l.changes.map((c) => ({ key: c.key, ...(c.from !== undefined ? { from: shown(c, c.from) } : {}), to: shown(c, c.to) })),
    kept: l.kept,
    mirrors: l.mirrors.map((m) => ({ object: mirrorObject(l.name, m.topic), action: m.action, source_topic: m.sourceTopic, reversed: m.reversed, ...(m.state ? { state: m.state } : {}), ...(m.operation ? { operation: m.operation } : {}) })),
  }));
}
