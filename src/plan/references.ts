import type { SourcedRequirement } from '../model/requirements.js';
import type { ResourceKey } from '../kit/pure/resource-key.js';
import { mayHoldRef, replaceRefs } from '../kit/pure/resource-ref.js';
import type { AnyResourceType } from '../kit/pure/resource-type.js';

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
  req: SourcedRequirement, used: Readonly<Record<string, ResourceKey>>, names: ReadonlyMap<ResourceKey, string>, types: ReadonlyMap<string, AnyResourceType>,
): SourcedRequirement {
  if (!hasReference(req.requirement.config)) return req;
  const scope: Scope = { used, names, types };
  return { ...req, requirement: { ...req.requirement, config: walk(req.requirement.config, scope) as Record<string, unknown> } };
}

interface Scope {
  readonly used: Readonly<Record<string, ResourceKey>>;
  readonly names: ReadonlyMap<ResourceKey, string>;
  readonly types: ReadonlyMap<string, AnyResourceType>;
}

// Functions of their own rather than closures per requirement (10,000 at 10,000 CrudApis).
function walk(v: unknown, scope: Scope): unknown {
  if (typeof v === 'string') return mayHoldRef(v) ? replaceRefs(v, (type, attr) => valueOf(type, attr, scope)) : v;
  // Copies only the branches that hold a reference; everything else is shared with the input.
  if (!v || typeof v !== 'object' || !hasReference(v)) return v;
  if (Array.isArray(v)) return v.map((x) => walk(x, scope));
  const out: Record<string, unknown> = {};
  for (const k of Object.keys(v)) out[k] = walk((v as Record<string, unknown>)[k], scope);
  return out;
}

function valueOf(type: string, attr: string, scope: Scope): string | undefined {
  const key = scope.used[type];
  const name = key ? scope.names.get(key) : undefined;
  const f = scope.types.get(type)?.attributes?.[attr];
  return name && f ? f(name) : undefined;
}

// Requirements are built once per definition and planned many times: remember which hold references.
const seen = new WeakMap<object, boolean>();

function hasReference(config: object): boolean {
  let known = seen.get(config);
  if (known === undefined) {
    known = scan(config);
    seen.set(config, known);
  }
  return known;
}

function scan(v: unknown): boolean {
  if (typeof v === 'string') return mayHoldRef(v);
  if (Array.isArray(v)) return v.some(scan);
  if (v && typeof v === 'object') return Object.values(v).some(scan);
  return false;
}
