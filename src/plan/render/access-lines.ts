import type { JsonValue, PlannedComponent } from '../../model/plan.js';

// Hoisted: the page of 1,000 CrudApis words thousands of rules (bench/plan-review.ts).
const text = (v: JsonValue | undefined) => (typeof v === 'string' ? v : JSON.stringify(v));

/**
 * One rule of a component's `access` output in words: `owner`, `role NoteAdmin`, `authenticated (read, list)`.
 *
 * @example
 * ```ts
 * ruleText({ allow: 'role', role: 'NoteAdmin', operations: ['delete'] }); // 'role NoteAdmin (delete)'
 * ruleText({ allow: 'authenticated', operations: ['create'], feature: 'reports' }); // 'authenticated (create) on plans with reports'
 * ```
 */
export function ruleText(rule: JsonValue): string {
  if (!rule || typeof rule !== 'object' || Array.isArray(rule)) return JSON.stringify(rule);
  const r = rule as {
    allow?: JsonValue;
    role?: JsonValue;
    operations?: JsonValue;
    feature?: JsonValue;
  };
  const who = r.allow === 'role' ? `role ${text(r.role)}` : text(r.allow);
  const ops = Array.isArray(r.operations) ? `${who} (${r.operations.join(', ')})` : who;
  // A rule with `feature` applies only on the plans that include it (docs/packaging.md): the plan says so.
  return typeof r.feature === 'string' ? `${ops} on plans with ${r.feature}` : ops;
}

/**
 * The access rules of every component that has them (CrudApis), as `[key (id), 'owner; role NoteAdmin; …',
 * ownerField]` rows for the renderers: the plan says who may do what before anything is deployed.
 *
 * @example
 * ```ts
 * accessRows(plan.components); // [['notes (NoteApi)', 'owner; role NoteAdmin; authenticated (read, list)', 'ownerId']]
 * ```
 */
export function accessRows(components: readonly PlannedComponent[]): [string, string, string][] {
  return components.flatMap((c) => {
    const rules = c.outputs.access;
    if (!Array.isArray(rules)) return [];
    const owner = typeof c.outputs.ownerField === 'string' ? c.outputs.ownerField : 'ownerId';
    return [[`${c.key} (${c.id})`, rules.map(ruleText).join('; '), owner]];
  });
}
