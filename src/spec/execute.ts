/**
 * Applies a checked plan by calling the existing use cases (link create, link configuration,
 * mirror create, the mirror state changes, mirror delete), one step at a time, in plan order: links
 * first, then their mirrors, then state moves, then prunes. Invariant: only a plan without problems
 * reaches here; if a step fails, the error says which steps were applied and which were not.
 */
import { ClinkError } from '../core/errors.js';
import { createLink } from '../core/usecases/link-create.js';
import { updateLinkConfigs } from '../core/usecases/link-configuration.js';
import { createMirror } from '../core/usecases/mirror-create.js';
import { alterMirrors, alterFailure } from '../core/usecases/mirror-alter.js';
import { failoverMirrors } from '../core/usecases/mirror-failover.js';
import { promoteMirrors, type PromoteDeps } from '../core/usecases/mirror-promote.js';
import { deleteMirror } from '../core/usecases/mirror-delete.js';
import type { LinkDeps } from '../core/usecases/link-ports.js';
import type { MirrorOperation } from '../core/model/mirror-state.js';
import type { Plan } from './plan.js';
import { linkObject, mirrorObject } from './render.js';

export interface ApplyDeps {
  link: LinkDeps;
  mirror: PromoteDeps;
  promoteTimeoutMs: number;
}

export type ObjectResult = 'created' | 'configured' | 'unchanged' | 'deleted';

export interface AppliedObject {
  object: string;
  result: ObjectResult;
  detail?: string;
}

interface Step {
  object: string;
  result: ObjectResult;
  detail?: string;
  run?: () => Promise<void>;
}

async function move(operation: MirrorOperation, topic: string, link: string, deps: ApplyDeps): Promise<void> {
  if (operation === 'promote') {
    await promoteMirrors([topic], link, { dryRun: false, timeoutMs: deps.promoteTimeoutMs }, deps.mirror);
    return;
  }
  const result = operation === 'failover' ? await failoverMirrors([topic], link, false, deps.mirror) : await alterMirrors(operation, [topic], link, { dryRun: false }, deps.mirror);
  const failure = alterFailure(operation, result, 1);
  if (failure) throw failure;
}

export function stepsOf(plan: Plan, deps: ApplyDeps): Step[] {
  const steps: Step[] = [];
  for (const l of plan.links) {
    const object = linkObject(l.name);
    if (l.action === 'create') {
      steps.push({
        object,
        result: 'created',
        run: async () => {
          await createLink({ name: l.name, sourceBootstrapServers: l.sourceBootstrapServers, ...(l.sourceClusterId ? { sourceClusterId: l.sourceClusterId } : {}), properties: { ...l.sourceClientConfig, ...l.configs }, cluster: l.destination, dryRun: false, validate: true, startWorker: true }, deps.link);
        },
      });
    } else if (l.action === 'configure') {
      const props = Object.fromEntries(l.changes.map((c) => [c.key, c.to ?? '']));
      steps.push({ object, result: 'configured', run: async () => { await updateLinkConfigs(l.name, props, true, deps.link); } });
    } else steps.push({ object, result: 'unchanged' });
    for (const m of l.mirrors) {
      const name = mirrorObject(l.name, m.topic);
      if (m.action === 'create') {
        steps.push({
          object: name,
          result: 'created',
          ...(m.operation ? { detail: m.state } : {}),
          run: async () => {
            await createMirror({ link: l.name, mirrorTopic: m.topic, sourceTopic: m.sourceTopic, ...(m.replicationFactor !== undefined ? { replicationFactor: m.replicationFactor } : {}), configs: m.configs, startWorker: true, reversed: m.reversed }, deps.mirror);
            if (m.operation) await move(m.operation, m.topic, l.name, deps);
          },
        });
      } else if (m.action === 'configure' && m.operation) {
        const operation = m.operation;
        steps.push({ object: name, result: 'configured', detail: `${m.from} -> ${m.state}`, run: () => move(operation, m.topic, l.name, deps) });
      } else if (m.action === 'delete') {
        steps.push({ object: name, result: 'deleted', run: () => deleteMirror(m.topic, l.name, deps.mirror) });
      } else if (m.action === 'unchanged') steps.push({ object: name, result: 'unchanged' });
    }
  }
  return steps;
}

/** Runs the steps; `onDone` sees each object as it is applied. */
export async function executePlan(plan: Plan, deps: ApplyDeps, onDone: (o: AppliedObject) => void): Promise<AppliedObject[]> {
  const steps = stepsOf(plan, deps);
  const done: AppliedObject[] = [];
  for (const [i, step] of steps.entries()) {
    try {
      await step.run?.();
    } catch (error) {
      if (!(error instanceof ClinkError)) throw error;
      const pending = steps.slice(i + 1).filter((s) => s.run).map((s) => s.object);
      const applied = done.filter((d) => d.result !== 'unchanged').map((d) => d.object);
      throw new ClinkError(error.code, `applying ${step.object} failed: ${error.message}`, {
        suggestion: `Applied: ${applied.length > 0 ? applied.join(', ') : 'nothing'}. Not applied: ${[step.object, ...pending].join(', ')}.${error.suggestion ? ` ${error.suggestion}` : ''} Fix the cause and run the same apply again: what was applied is then unchanged.`,
        cause: error,
        context: { applied, not_applied: [step.object, ...pending] },
      });
    }
    const o: AppliedObject = { object: step.object, result: step.result, ...(step.detail ? { detail: step.detail } : {}) };
    done.push(o);
    onDone(o);
  }
  return done;
}
