import type { HttpResponseInit } from '@azure/functions';
import type {
  CrudOperation,
  GuardedResource,
  RuntimeEntity,
} from '../../model/runtime-manifest.js';
import { accessDenied, accessOf, type RuleCaller, decideAccess, describeRule } from './rules.js';
import type { AccessScope } from '../data/access-scope.js';
import { problemResponse } from '../http/response.js';
import type { Resolved } from '../http/scope.js';

/**
 * What the owner checks read of a request: its entity and the access rules' verdict (`undefined`: no rules).
 *
 * @example
 * ```ts
 * const scoped: Scoped = { entity, access: { ownerField: 'ownerId', callerId: 'u1', ownOnly: true } };
 * ```
 */
export interface Scoped {
  readonly entity: RuntimeEntity;
  readonly access?: AccessScope | undefined;
}

/**
 * Apply the entity's access rules to one caller (as the request pipeline resolved them) before anything is read or
 * written: a 403 problem naming the rules that would allow it, or the scope the operations then honour (owner-only
 * or every item of the tenant). Pure: the caller stage read the principal.
 *
 * @example
 * ```ts
 * const scope = authorize(entity, 'update', { id: 'oid-1', roles: ['NoteAdmin'] });
 * if (!scope.ok) return scope.response;
 * ```
 */
export function authorize(
  entity: GuardedResource,
  op: CrudOperation,
  caller: RuleCaller,
): Resolved<AccessScope> {
  const { rules, ownerField } = accessOf(entity);
  const decision = decideAccess(rules, op, caller);
  if (decision.kind === 'denied')
    return {
      ok: false,
      response: accessDenied(entity, op, decision.wouldAllow, caller, decision.gated),
    };
  // An owner-only write of an item the caller may read is a 403 naming the rule, not a 404 (see refusedWrite).
  const readsAll =
    op !== 'read' &&
    op !== 'list' &&
    (!('operations' in entity) || (entity as RuntimeEntity).operations.includes('read')) &&
    decideAccess(rules, 'read', caller).kind === 'all';
  return {
    ok: true,
    value: {
      ownerField,
      callerId: caller.id,
      ownOnly: decision.kind === 'own',
      ...(readsAll ? { readsAll, op } : {}),
    },
  };
}

function ownerRefused(ctx: Scoped, field: string): HttpResponseInit {
  return problemResponse(
    'owner-mismatch',
    `The body's ${field} is not yours to set: the runtime records who created each ${ctx.entity.entityName} ` +
      `(from the oid claim of your token). Leave ${field} out.`,
  );
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
export function stampOwner(
  ctx: Scoped,
  body: Record<string, unknown>,
): HttpResponseInit | undefined {
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
export function keepOwner(
  ctx: Scoped,
  body: Record<string, unknown>,
  stored: { readonly resource: Readonly<Record<string, unknown>> } | undefined,
  replace: boolean,
): HttpResponseInit | undefined {
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
export function visibleTo(
  ctx: Pick<Scoped, 'access'>,
  resource: Readonly<Record<string, unknown>>,
): boolean {
  const a = ctx.access;
  return !a?.ownOnly || (a.callerId !== undefined && resource[a.ownerField] === a.callerId);
}

/**
 * Why a stored item the request may not change is refused: a caller whose rules let them read it gets a 403
 * naming the owner rule (they can see it exists, "does not exist" would be false); `undefined` when they may
 * not see it either, which the caller answers with a 404. A CrudApi's items and a FileStore's files alike.
 *
 * @example
 * ```ts
 * if (!visibleTo(ctx, stored.resource)) return refusedWrite(ctx) ?? notFound(ctx, id);
 * ```
 */
export function refusedWrite(
  ctx: Pick<Scoped, 'access'> & { readonly entity: GuardedResource },
): HttpResponseInit | undefined {
  const a = ctx.access;
  const op = a?.op;
  if (!a?.readsAll || op === undefined) return undefined;
  const owners = accessOf(ctx.entity).rules.filter(
    (r) => r.allow === 'owner' && (r.operations === undefined || r.operations.includes(op)),
  );
  return problemResponse(
    'access-denied',
    `You may read this ${ctx.entity.entityName} but not ${a.op} it: ${owners.map(describeRule).join(' or ')} ` +
      `lets only the item's creator ${a.op} it, and you did not create it.`,
    {
      operation: a.op,
      rules: owners.map(describeRule),
    },
  );
}
