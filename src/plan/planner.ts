import type { OutputContext } from '../model/component.js';
import { AtakoraError } from '../model/errors.js';
import type { JsonValue, PlanIssue, PlannedComponent, PlannedResource, ResourcePlan } from '../model/plan.js';
import type { SourcedRequirement } from '../model/requirements.js';
import { BUILTIN_BACKEND_KINDS } from './builtin-backend-kinds.js';
import { BUILTIN_KINDS } from './builtin-kinds.js';
import { collect } from './collect.js';
import { configIssues } from './config-issues.js';
import { frozenPlainCopy } from './deep-freeze.js';
import { checkLimits } from './limits.js';
import { compare } from './merge-strategies.js';
import { resourceName } from './naming.js';
import { resolveReferences } from './references.js';
import type { PlanInput } from './plan-input.js';
import type { MergedGroup, ResourceKind } from './resource-kind.js';
import { findSecrets } from './secrets.js';
import { summarize } from './summary.js';

/**
 * The pure planner: collect → group → merge → name → limits → outputs → summary. Same input, byte-identical
 * output; component order never matters; the input is never mutated; the result is deeply frozen.
 *
 * @example
 * ```ts
 * const plan = planBackend({ config: normalizeConfig({}), components: [{ key: 'userApi', definition }] });
 * ```
 */
export function planBackend(input: PlanInput): ResourcePlan {
  const { config } = input;
  const components = [...input.components].sort((a, b) => compare(a.key, b.key));
  const issues: PlanIssue[] = [...findSecrets(input), ...configIssues(config)];
  const kinds = new Map(BUILTIN_KINDS);
  for (const k of input.extraKinds ?? []) if (!kinds.has(k.type)) kinds.set(k.type, k);

  // Group: the compatibility key decides the group, never a position, so names are stable under edits.
  const groups = new Map<string, { kind: ResourceKind; compatibility: string; isDefault: boolean; reqs: SourcedRequirement[] }>();
  for (const req of collect(input, components)) {
    const kind = kinds.get(req.requirement.resourceType);
    if (!kind) {
      issues.push({
        severity: 'error', code: 'NO_PROVIDER', components: [req.componentId], path: ['components', req.componentKey, 'requirements', req.index, 'resourceType'],
        message: `No provider can satisfy the "${req.requirement.resourceType}" requirement of ${req.componentId}.`,
      });
      continue;
    }
    const { key, isDefault } = kind.compatibility(req, config);
    const groupKey = `${kind.type}:${isDefault ? 'shared' : slug(key)}`;
    const g = groups.get(groupKey) ?? { kind, compatibility: key, isDefault, reqs: [] };
    g.reqs.push(req);
    groups.set(groupKey, g);
  }

  // Name before merging: a name depends only on the group, and components' settings may refer to names.
  const sortedGroups = [...groups].sort(([a], [b]) => compare(a, b));
  const names = new Map<string, string>();
  const seenNames = new Map<string, string>();
  for (const [key, g] of sortedGroups) {
    const preset = g.kind.presetName?.(g.isDefault, config);
    const named = preset ? { name: preset, issues: [] } : resourceName(g.kind.type, g.kind.namePrefix, g.isDefault ? undefined : key.split(':')[1], config);
    issues.push(...named.issues);
    const clash = seenNames.get(`${g.kind.type}|${named.name}`);
    if (clash) issues.push({ severity: 'error', code: 'NAME_COLLISION', path: ['config', 'naming'], message: `${clash} and ${key} would both be named "${named.name}".` });
    seenNames.set(`${g.kind.type}|${named.name}`, key);
    names.set(key, named.name);
  }

  // Which resource each component uses, by type (its first requirement of that type decides).
  const usage = new Map<string, Record<string, string>>();
  for (const [key, g] of sortedGroups) for (const r of g.reqs) {
    const u = usage.get(r.componentId) ?? {};
    if (!(g.kind.type in u)) u[g.kind.type] = key;
    usage.set(r.componentId, u);
  }

  const merged: (MergedGroup & { kind: ResourceKind; name: string })[] = [];
  // What each consumer would pay for its own copy (its requirements merged alone), for the summary.
  const standaloneUsd = new Map<string, number>();
  for (const [key, g] of sortedGroups) {
    const reqs = g.reqs
      .map((r) => resolveReferences(r, usage.get(r.componentId) ?? {}, names))
      .sort((a, b) => compare(a.componentId, b.componentId) || a.index - b.index);
    const m = g.kind.merge(reqs, config, names.get(key));
    issues.push(...m.issues);
    const consumers = [...new Set(reqs.map((r) => r.componentId))].sort(compare);
    merged.push({ key, type: g.kind.type, compatibility: g.compatibility, suffix: g.isDefault ? undefined : key.split(':')[1], config: m.config, consumers, kind: g.kind, name: names.get(key)! });
    standaloneUsd.set(key, consumers.length <= 1 ? g.kind.monthlyUsd(m.config) : standaloneCost(g.kind, reqs, m.config, config));
  }
  resolveHostStorage(merged, usage);

  const resources: PlannedResource[] = merged.map((g) => ({
    key: g.key, type: g.type, name: g.name, compatibility: g.compatibility, config: g.config, consumers: g.consumers,
    deploys: g.kind.deploys(g, { backendId: config.backendId, config, usage }).sort((a, b) => compare(a.terraformType, b.terraformType) || compare(a.name, b.name)),
    estimatedMonthlyUsd: g.kind.monthlyUsd(g.config),
  }));
  for (const kind of BUILTIN_BACKEND_KINDS) {
    const added = kind.plan(resources, config);
    issues.push(...added.issues);
    resources.push(...added.resources.map((r) => ({ ...r, deploys: [...r.deploys].sort((a, b) => compare(a.terraformType, b.terraformType) || compare(a.name, b.name)) })));
  }
  resources.sort((a, b) => compare(a.key, b.key));

  const byKey = new Map(resources.map((r) => [r.key, r]));
  const plannedComponents: PlannedComponent[] = components.map((c) => {
    const d = c.definition;
    const used = usage.get(d.componentId) ?? {};
    const ctx: OutputContext = { componentId: d.componentId, componentKey: c.key, config, resource: (type) => (used[type] ? byKey.get(used[type]) : undefined) };
    let outputs: Readonly<Record<string, JsonValue>> = {};
    try {
      outputs = d.outputs?.(ctx) ?? {};
    } catch (e) {
      if (e instanceof AtakoraError) throw e;
      throw new AtakoraError('COMPONENT_INVALID', `Component ${d.componentId} failed to compute its outputs: ${(e as Error)?.message ?? String(e)}`, { path: ['components', c.key], cause: e });
    }
    return { key: c.key, id: d.componentId, type: d.componentType, resources: sortRecord(used), outputs: sortRecord(outputs) };
  });

  const limitViolations = checkLimits(resources, config);
  const plan: ResourcePlan = {
    version: 1,
    backendId: config.backendId,
    environment: config.environment,
    location: config.location,
    components: plannedComponents,
    resources,
    issues: issues.sort((a, b) => compare(a.severity, b.severity) || compare(a.code, b.code) || compare(a.message, b.message)),
    limitViolations,
    summary: summarize(resources, standaloneUsd),
  };
  // Plain, frozen, and equal to its own JSON round trip.
  return frozenPlainCopy(plan);
}

/** A Function App's host storage: the shared account if any consumer uses it, else the first one theirs. */
function resolveHostStorage(merged: readonly MergedGroup[], usage: ReadonlyMap<string, Record<string, string>>): void {
  for (const g of merged) {
    if (g.type !== 'functions') continue;
    const keys = [...new Set(g.consumers.map((id) => usage.get(id)?.['storage']).filter((k): k is string => !!k))].sort(compare);
    (g.config as Record<string, JsonValue>)['hostStorage'] = keys.includes('storage:shared') ? 'storage:shared' : (keys[0] ?? 'storage:shared');
  }
}

/** What the consumers of one group would pay with a copy each: each one's requirements merged alone. */
function standaloneCost(kind: ResourceKind, reqs: readonly SourcedRequirement[], shared: MergedGroup['config'], config: PlanInput['config']): number {
  const byComponent = new Map<string, SourcedRequirement[]>();
  for (const r of reqs) {
    const list = byComponent.get(r.componentId);
    if (list) list.push(r);
    else byComponent.set(r.componentId, [r]);
  }
  let sum = 0;
  for (const own of byComponent.values()) {
    sum += kind.standaloneMonthlyUsd ? kind.standaloneMonthlyUsd(own, shared, config) : kind.monthlyUsd(kind.merge(own, config).config);
  }
  return sum;
}

function slug(key: string): string {
  return key.toLowerCase().replace(/[^a-z0-9]+/g, '-').replace(/^-+|-+$/g, '');
}

function sortRecord<T>(r: Readonly<Record<string, T>>): Record<string, T> {
  return Object.fromEntries(Object.entries(r).sort(([a], [b]) => compare(a, b)));
}
