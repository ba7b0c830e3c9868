import type { HttpResponseInit } from '@azure/functions';
import {
  type AccessRule,
  type CrudOperation,
  DEFAULT_ACCESS,
  DEFAULT_OWNER_FIELD,
  type RuntimeEntity,
} from '../../model/runtime-manifest.js';
import { plansWith } from '../../model/plans/plan-features.js';
import { problemResponse } from '../http/response.js';

/**
 * The caller as access rules see it: its identity (`oid`, else `sub`; `undefined` when nothing vouches for a
 * principal) and its app roles (the `roles` claim).
 *
 * @example
 * ```ts
 * const caller: RuleCaller = { id: '00000000-0000-0000-0000-00000000000a', roles: ['NoteAdmin'] };
 * ```
 */
export interface RuleCaller {
  readonly id: string | undefined;
  readonly roles: readonly string[];
  /**
   * `false` when the caller is of another directory than the backend's own and the entity is shared in a
   * multi-tenant backend: then only role rules with `tenants: 'any'` count for them. Absent → role rules count.
   */
  readonly home?: boolean;
  /**
   * The features of the caller's plan: a rule with `feature` counts only when it has it. Absent → every feature
   * (no plan lists features, or no plans).
   */
  readonly features?: { has(feature: string): boolean };
  /**
   * The backend's plans, for the 403 of a rule the caller's plan drops: it names those that include the feature, as
   * the 402 `feature-not-in-plan` does. Absent → the 403 names the feature only.
   */
  readonly plans?: Parameters<typeof plansWith>[1] | undefined;
}

/**
 * Whether a role rule counts for the caller: they hold the role, and are of the home directory
 * unless the rule says `tenants: 'any'`.
 */
const roleHolds = (rule: AccessRule, caller: RuleCaller): boolean =>
  rule.allow === 'role' &&
  caller.roles.includes(rule.role) &&
  (caller.home !== false || rule.tenants === 'any');

/**
 * What the rules grant one request: `all` — every item of the caller's tenant (a role or `authenticated`
 * rule); `own` — only items whose owner field is the caller (an `owner` rule; `create` stamps the caller as
 * owner); `denied` — no rule allows it, with the rules that would (for the 403's text).
 *
 * @example
 * ```ts
 * decideAccess([{ allow: 'owner' }], 'update', { id: 'u1', roles: [] }); // { kind: 'own' }
 * ```
 */
export type AccessDecision =
  | { readonly kind: 'all' }
  | { readonly kind: 'own' }
  | {
      readonly kind: 'denied';
      readonly wouldAllow: readonly AccessRule[];
      /** The rules that would admit the caller but for a feature their plan lacks. */
      readonly gated?: readonly AccessRule[];
    };

/**
 * Whether a rule covers an operation (no `operations` → all of them; the CrudApi's own list is
 * checked before, 405).
 */
const covers = (rule: AccessRule, op: CrudOperation): boolean =>
  rule.operations === undefined || rule.operations.includes(op);

/** Whether a rule applies on the caller's plan: no `feature`, or one the plan has (docs/packaging.md). */
const onPlan = (rule: AccessRule, caller: RuleCaller): boolean =>
  rule.feature === undefined || caller.features === undefined || caller.features.has(rule.feature);

/**
 * The decision of a rule set for one operation and caller (pure; the reference of the property tests): any
 * `authenticated` rule covering the operation, or a `role` rule whose role the caller holds → `all`; else an
 * `owner` rule covering it and a caller with an identity → `own`; else `denied`.
 *
 * @example
 * ```ts
 * decideAccess([{ allow: 'authenticated', operations: ['read', 'list'] }], 'delete', {
 *   id: 'u1',
 *   roles: [],
 * }).kind; // 'denied'
 * ```
 */
export function decideAccess(
  rules: readonly AccessRule[],
  op: CrudOperation,
  caller: RuleCaller,
): AccessDecision {
  const applicable = rules.filter((r) => covers(r, op) && onPlan(r, caller));
  if (applicable.some((r) => r.allow === 'authenticated' || roleHolds(r, caller)))
    return { kind: 'all' };
  if (caller.id !== undefined && applicable.some((r) => r.allow === 'owner'))
    return { kind: 'own' };
  const gated = rules.filter(
    (r) =>
      covers(r, op) &&
      !onPlan(r, caller) &&
      (r.allow === 'authenticated' ||
        roleHolds(r, caller) ||
        (r.allow === 'owner' && caller.id !== undefined)),
  );
  return { kind: 'denied', wouldAllow: applicable, ...(gated.length ? { gated } : {}) };
}

/**
 * The rules of an entity (`[{ allow: 'authenticated' }]` when the manifest names none) and its owner field.
 *
 * @example
 * ```ts
 * const { rules, ownerField } = accessOf(entity);
 * ```
 */
export function accessOf(entity: Pick<RuntimeEntity, 'access' | 'ownerField'>): {
  rules: readonly AccessRule[];
  ownerField: string;
} {
  return {
    rules: entity.access ?? DEFAULT_ACCESS,
    ownerField: entity.ownerField ?? DEFAULT_OWNER_FIELD,
  };
}

/** A rule as the CrudApi config writes it, for messages: `{ allow: 'role', role: 'NoteAdmin' }`. */
export function describeRule(rule: AccessRule): string {
  const parts = [`allow: '${rule.allow}'`];
  if (rule.allow === 'role') parts.push(`role: '${rule.role}'`);
  if (rule.allow === 'role' && rule.tenants !== undefined) parts.push(`tenants: '${rule.tenants}'`);
  if (rule.feature !== undefined) parts.push(`feature: '${rule.feature}'`);
  if (rule.operations)
    parts.push(`operations: [${rule.operations.map((o) => `'${o}'`).join(', ')}]`);
  return `{ ${parts.join(', ')} }`;
}

/**
 * The 403 of a denied request (`urn:atakora:problem:access-denied`): which operation, and the rules that would
 * allow it (with what the caller lacks), or that no rule of the CrudApi allows it at all. Nothing is read
 * or written before it.
 *
 * @example
 * ```ts
 * const decision = decideAccess(rules, 'delete', caller);
 * if (decision.kind === 'denied') return accessDenied(entity, 'delete', decision.wouldAllow);
 * ```
 */
export function accessDenied(
  entity: Pick<RuntimeEntity, 'componentId' | 'entityName'>,
  op: CrudOperation,
  wouldAllow: readonly AccessRule[],
  caller?: RuleCaller,
  gated: readonly AccessRule[] = [],
): HttpResponseInit {
  const feature = gated[0]?.feature;
  if (feature !== undefined) return featureDenied(entity, op, wouldAllow, caller, feature);
  const why =
    wouldAllow.length === 0
      ? `no access rule of ${entity.componentId} allows ${op}; add one to its access list (e.g. { allow: ` +
        `'authenticated', operations: ['${op}'] }).`
      : `it is allowed by ${wouldAllow.map((r) => `${describeRule(r)}${hint(r, caller)}`).join(' or ')}.`;
  return problemResponse('access-denied', `You may not ${op} ${entity.entityName} items: ${why}`, {
    operation: op,
    rules: wouldAllow.map(describeRule),
  });
}

/**
 * The 403 of a request a rule would allow but for `feature`, which the caller's plan lacks: the detail and the
 * extensions name the feature and the plans that include it (`feature`, `plans`, as the 402 `feature-not-in-plan`
 * of a built-in feature's door does — src/runtime/tenants/feature-refusal.ts), beside the rules that apply now.
 */
function featureDenied(
  entity: Pick<RuntimeEntity, 'componentId' | 'entityName'>,
  op: CrudOperation,
  wouldAllow: readonly AccessRule[],
  caller: RuleCaller | undefined,
  feature: string,
): HttpResponseInit {
  const plans = caller?.plans ? plansWith(feature, caller.plans) : [];
  const which =
    plans.length === 0
      ? 'which no plan includes'
      : `which ${plans.length === 1 ? 'plan' : 'plans'} ${plans.join(', ')} ${plans.length === 1 ? 'includes' : 'include'}`;
  const others = wouldAllow.length
    ? ` On your plan it is allowed by ${wouldAllow.map((r) => `${describeRule(r)}${hint(r, caller)}`).join(' or ')}.`
    : '';
  return problemResponse(
    'access-denied',
    `You may not ${op} ${entity.entityName} items: your plan does not include the feature '${feature}', ${which}; ` +
      `an organization on such a plan may.${others}`,
    { operation: op, rules: wouldAllow.map(describeRule), feature, plans },
  );
}

function hint(rule: AccessRule, caller: RuleCaller | undefined): string {
  if (
    rule.allow === 'role' &&
    caller?.home === false &&
    rule.tenants !== 'any' &&
    caller.roles.includes(rule.role)
  ) {
    return (
      ` (you hold ${rule.role}, but this is shared data its publisher curates: the role counts for users of ` +
      `the backend's own directory only)`
    );
  }
  if (rule.allow === 'role')
    return ` (ask an administrator to assign you the app role ${rule.role} of the API registration)`;
  if (rule.allow === 'owner')
    return caller !== undefined && caller.id !== undefined
      ? " (the item's creator)"
      : " (the item's creator; your token carries no oid claim)";
  return '';
}
