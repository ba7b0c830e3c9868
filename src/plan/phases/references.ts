import type { SourcedRequirement } from '../../model/requirements.js';
import type { ResourceKey } from '../../kit/pure/names/resource-key.js';
import { mayHoldRef, replaceRefs } from '../../kit/pure/resources/resource-ref.js';
import { isRefFreePlainData } from '../../kit/pure/plain-data.js';
import type { AnyResourceType } from '../../kit/pure/resources/resource-type.js';

/**
 * Replace references (`ref('cosmos', 'endpoint')`, or the seeds' `${cosmos.endpoint}` text) in a requirement's
 * config with the planned values of the resources that component uses; each type declares its `attributes`.
 * Returns a new requirement; the input is untouched. Unknown references stay as written.
 *
 * @example
 * ```ts
 * // { COSMOS_ENDPOINT: '${cosmos.endpoint}' } → { COSMOS_ENDPOINT: 'https://cosmos-backend-dev-k3x9a1.documents.azure.com:443/' }
 * ```
 */
export function resolveReferences(
  req: SourcedRequirement,
  used: Readonly<Record<string, ResourceKey>>,
  names: ReadonlyMap<ResourceKey, string>,
  types: ReadonlyMap<string, AnyResourceType>,
  texts: ResolvedTexts = new Map(),
): SourcedRequirement {
  const plan = refPlanOf(req.requirement.config);
  if (plan === undefined) return req;
  let memo = texts.get(used);
  if (!memo) texts.set(used, (memo = new Map<string, string>()));
  const scope: Scope = { used, names, types, memo };
  return {
    ...req,
    requirement: {
      ...req.requirement,
      config: resolve(req.requirement.config, plan, scope) as Record<string, unknown>,
    },
  };
}

/**
 * Texts already resolved in one plan, by the usage record they were resolved for: components that use the same
 * resources share one record (plan/phases/group.ts), so 10,000 CrudApis resolve `${cosmos.endpoint}` once and hold
 * one string.
 */
export type ResolvedTexts = Map<Readonly<Record<string, ResourceKey>>, Map<string, string>>;

interface Scope {
  readonly used: Readonly<Record<string, ResourceKey>>;
  readonly names: ReadonlyMap<ResourceKey, string>;
  readonly types: ReadonlyMap<string, AnyResourceType>;
  readonly memo: Map<string, string>;
}

/**
 * Where a value holds references: `true` for a string that may, else the keys (or indexes) that do,
 * each with its own.
 */
type RefPlan = true | readonly (readonly [key: string | number, plan: RefPlan])[];

// Requirements are built once per definition and planned many times: each large config's plan is found once (a
// definition's requirements never change), so a plan copies just the branches that hold a reference and never
// walks the rest again (a CrudApi's runtime entity, say). A small config (a CrudApi's Cosmos and storage
// requirements) is walked again instead: a walk of a few values costs less than its entry in this map, and
// 20,000 such entries at 10,000 CrudApis were most of a fresh process's time here.
const refPlans = new WeakMap<object, RefPlan | null>();

/** Configs walked in fewer steps than this are not remembered. */
const REMEMBER_FROM = 16;

function refPlanOf(config: object): RefPlan | undefined {
  let plan = refPlans.get(config);
  if (plan === undefined) {
    const walk = { steps: 0 };
    plan = find(config, walk) ?? null;
    if (walk.steps >= REMEMBER_FROM) refPlans.set(config, plan && shared(plan));
  }
  return plan ?? undefined;
}

// Remembered plans by their JSON: configs of one kind hold references in the same places (every CrudApi's
// Function App requirement: `environmentVariables.COSMOS_ENDPOINT`), so 10,000 remembered configs share one
// plan instead of keeping four small arrays each. Bounded, so a long process cannot grow it.
const sharedPlans = new Map<string, RefPlan>();

function shared(plan: RefPlan): RefPlan {
  const key = JSON.stringify(plan);
  let one = sharedPlans.get(key);
  if (one === undefined) {
    if (sharedPlans.size >= 10_000) sharedPlans.clear();
    sharedPlans.set(key, (one = plan));
  }
  return one;
}

function find(v: unknown, walk: { steps: number }): RefPlan | undefined {
  walk.steps++;
  if (typeof v === 'string') return mayHoldRef(v) ? true : undefined;
  if (!v || typeof v !== 'object') return undefined;
  // Plain data known to hold no reference (a CrudApi's runtime entity) is not walked.
  if (isRefFreePlainData(v)) return undefined;
  // Made only when a reference is found: most branches hold none.
  let at: [string | number, RefPlan][] | undefined;
  if (Array.isArray(v)) {
    for (let i = 0; i < v.length; i++) {
      const p = find(v[i], walk);
      if (p !== undefined) (at ??= []).push([i, p]);
    }
  } else {
    // for…in: requirement configs are plain objects (a custom component's are copied as such), no key inherited.
    for (const k in v) {
      const p = find((v as Record<string, unknown>)[k], walk);
      if (p !== undefined) (at ??= []).push([k, p]);
    }
  }
  return at;
}

// Copies only the branches that hold a reference; everything else is shared with the input.
function resolve(v: unknown, plan: RefPlan, scope: Scope): unknown {
  if (plan === true) {
    let text = scope.memo.get(v as string);
    if (text === undefined)
      scope.memo.set(
        v as string,
        (text = replaceRefs(v as string, (type, attr) => valueOf(type, attr, scope))),
      );
    return text;
  }
  const source = v as Record<string | number, unknown>;
  const out = (Array.isArray(v) ? [...(v as unknown[])] : { ...source }) as Record<
    string | number,
    unknown
  >;
  for (const [k, p] of plan) out[k] = resolve(source[k], p, scope);
  return out;
}

function valueOf(type: string, attr: string, scope: Scope): string | undefined {
  const key = scope.used[type];
  const name = key ? scope.names.get(key) : undefined;
  const f = scope.types.get(type)?.attributes?.[attr];
  return name && f ? f(name) : undefined;
}
