import type { HttpRequest, HttpResponseInit } from '@azure/functions';
import type { CrudOperation, GuardedResource, RuntimeAuth } from '../model/runtime-manifest.js';
import { accessDenied, accessOf, type Caller, decideAccess } from './access-rules.js';
import { identityOf, principalOf, rolesOf } from './client-principal.js';
import type { AccessScope, CrudContext } from './crud-context.js';
import { problemResponse } from './http-response.js';
import type { Resolved } from './request-scope.js';

/**
 * The caller as the rules see it: only a principal App Service vouches for (authentication on) counts;
 * otherwise nobody (no identity, no roles), whom only `authenticated` rules admit.
 *
 * @example
 * ```ts
 * const caller = callerOf(request, options.caller);
 * ```
 */
export function callerOf(request: HttpRequest, policy: RuntimeAuth | undefined): Caller {
  const principal = policy?.required ? principalOf(request) : undefined;
  if (!principal) return { id: undefined, roles: [] };
  return { id: identityOf(principal), roles: rolesOf(principal) };
}

/**
 * Apply the entity's access rules to one request before anything is read or written: a 403 problem naming the
 * rules that would allow it, or the scope the operations then honour (owner-only or every item of the tenant).
 *
 * @example
 * ```ts
 * const scope = authorize(entity, 'update', request, options.caller);
 * if (!scope.ok) return scope.response;
 * return entry.run({ ...ctx, access: scope.value }, request, tenant);
 * ```
 */
export function authorize(entity: GuardedResource, op: CrudOperation, request: HttpRequest, policy: RuntimeAuth | undefined): Resolved<AccessScope> {
  const { rules, ownerField } = accessOf(entity);
  const caller = callerOf(request, policy);
  const decision = decideAccess(rules, op, caller);
  if (decision.kind === 'denied') return { ok: false, response: accessDenied(entity, op, decision.wouldAllow) };
  return { ok: true, value: { ownerField, callerId: caller.id, ownOnly: decision.kind === 'own' } };
}

function ownerRefused(ctx: CrudContext, field: string): HttpResponseInit {
  return problemResponse(403, 'owner-mismatch', `The body's ${field} is not yours to set: the runtime records who created each ${ctx.entity.entityName} (from the oid claim of your token). Leave ${field} out.`);
}

/**
 * POST: stamp the owner field with the caller's identity; a body value other than the caller's is refused
 * (403), like a foreign `tenantId`. Mutates `body`, which the caller owns (it was just parsed).
 *
 * @example
 * ```ts
 * const refused = stampOwner(ctx, item);
 * if (refused) return refused;
 * ```
 */
export function stampOwner(ctx: CrudContext, body: Record<string, unknown>): HttpResponseInit | undefined {
  const field = ctx.access?.ownerField;
  if (field === undefined) return undefined;
  const caller = ctx.access?.callerId;
  if (Object.hasOwn(body, field) && body[field] !== caller) return ownerRefused(ctx, field);
  if (caller !== undefined) body[field] = caller;
  return undefined;
}

/**
 * PUT and PATCH: the owner field keeps its stored value (a body may repeat it, as a read returned it, but never
 * change it: 403). `body` is the replacement (PUT: its owner is set to the stored one) or the patch (PATCH:
 * left as it is, the merge keeps the stored field).
 *
 * @example
 * ```ts
 * const refused = keepOwner(ctx, item, stored, true);
 * if (refused) return refused;
 * ```
 */
export function keepOwner(ctx: CrudContext, body: Record<string, unknown>, stored: { readonly resource: Readonly<Record<string, unknown>> } | undefined, replace: boolean): HttpResponseInit | undefined {
  const field = ctx.access?.ownerField;
  if (field === undefined) return undefined;
  const before = stored?.resource[field];
  if (Object.hasOwn(body, field) && body[field] !== before) return ownerRefused(ctx, field);
  if (!replace) return undefined;
  if (before === undefined) Reflect.deleteProperty(body, field);
  else body[field] = before;
  return undefined;
}

/**
 * Whether a stored item is visible to the request: always, unless only the caller's own items are.
 *
 * @example
 * ```ts
 * if (!visibleTo(ctx, stored.resource)) return notFound(ctx, id);
 * ```
 */
export function visibleTo(ctx: CrudContext, resource: Readonly<Record<string, unknown>>): boolean {
  const a = ctx.access;
  return !a?.ownOnly || (a.callerId !== undefined && resource[a.ownerField] === a.callerId);
}
