import { SCIM_SCHEMAS } from '../../../../contract/scim/scim.js';
import { applyAt, type ScimBody } from './scim-patch-apply.js';
import { type ResourceShape, resolvePath } from './scim-path.js';
import type { ScimFailure } from './scim-values.js';

export { booleanOf } from './scim-values.js';
export type { ScimBody } from './scim-patch-apply.js';

/**
 * One operation of a PatchOp (RFC 7644 §3.5.2), its `op` lower-cased: Entra sends `Add`, `Replace`, `Remove`
 * (Learn, "Tutorial: Develop and plan provisioning for a SCIM endpoint": "Don't require a case-sensitive match on
 * structural elements in SCIM, in particular PATCH op operation values").
 */
export interface PatchOperation {
  readonly op: 'add' | 'replace' | 'remove';
  readonly path?: string;
  readonly value?: unknown;
}

/**
 * The operations of a PatchOp body, or the reason it is not one (a SCIM 400 `invalidSyntax`).
 *
 * @example
 * ```ts
 * patchOperations({ schemas: [SCIM_SCHEMAS.patchOp], Operations: [{ op: 'Replace', path: 'active', value: 'False' }] });
 * ```
 */
export function patchOperations(
  body: Record<string, unknown>,
): { ok: true; operations: PatchOperation[] } | { ok: false; detail: string } {
  const schemas = body['schemas'];
  if (Array.isArray(schemas) && !schemas.includes(SCIM_SCHEMAS.patchOp))
    return { ok: false, detail: `A PATCH body names the schema ${SCIM_SCHEMAS.patchOp}.` };
  const ops = body['Operations'] ?? body['operations'];
  if (!Array.isArray(ops) || ops.length === 0 || ops.length > 100)
    return {
      ok: false,
      detail: 'A PATCH body holds Operations: a list of 1 to 100 { op, path?, value? }.',
    };
  const operations: PatchOperation[] = [];
  for (const o of ops as unknown[]) {
    const rec = o && typeof o === 'object' ? (o as Record<string, unknown>) : {};
    const op = typeof rec['op'] === 'string' ? rec['op'].toLowerCase() : '';
    if (op !== 'add' && op !== 'replace' && op !== 'remove')
      return {
        ok: false,
        detail: `op ${JSON.stringify(rec['op'])} is none of add, replace, remove.`,
      };
    const path = rec['path'];
    if (path !== undefined && typeof path !== 'string')
      return { ok: false, detail: 'path is a string.' };
    operations.push({ op, ...(path !== undefined ? { path } : {}), value: rec['value'] });
  }
  return { ok: true, operations };
}

/** What a PATCH of one resource knows beside its operations: its shape and id, and attributes with their own bound. */
export interface PatchTarget {
  readonly shape: ResourceShape;
  readonly id: string;
  /** Multi-valued attributes the resource bounds itself (a group's `members`). */
  readonly unbounded?: readonly string[];
}

const failure = (scimType: ScimFailure['scimType'], detail: string): ScimFailure => ({
  ok: false,
  scimType,
  detail,
});

/** One attribute path of an operation applied; a path this service does not keep is accepted and ignored. */
function applyPath(
  t: PatchTarget,
  body: ScimBody,
  path: string,
  o: PatchOperation,
): ScimFailure | undefined {
  if (/^(id|meta)(\.|$)/i.test(path.trim())) return failure('mutability', `${path} is read-only.`);
  const resolved = resolvePath(t.shape, path);
  if (!resolved.ok)
    return resolved.unknown ? undefined : failure(resolved.scimType, resolved.detail);
  return applyAt(t.shape, body, resolved.path, {
    op: o.op,
    value: o.value,
    unbounded: t.unbounded ?? [],
  });
}

/**
 * An operation without a path (RFC 7644 §3.5.2.1, .3): its value an object of attributes, each key a path —
 * `displayName`, `name.givenName`, an enterprise attribute by its URN-qualified name, an extension's URN with an
 * object — as Entra and Okta send them; `id` may be given when it is the resource's own (Okta renames a group so).
 */
function applyNoPath(t: PatchTarget, body: ScimBody, o: PatchOperation): ScimFailure | undefined {
  if (o.op === 'remove') return failure('noTarget', 'A remove names the path it removes.');
  if (!o.value || typeof o.value !== 'object' || Array.isArray(o.value))
    return failure('invalidValue', `An ${o.op} without a path takes an object of attributes.`);
  for (const [key, value] of Object.entries(o.value as Record<string, unknown>)) {
    if (/^id$/i.test(key)) {
      if (value !== t.id) return failure('mutability', 'id is read-only.');
      continue;
    }
    if (/^(meta|schemas)$/i.test(key)) continue;
    const failed = applyPath(t, body, key, { ...o, value });
    if (failed) return failed;
  }
  return undefined;
}

/**
 * A resource's attributes with a PatchOp's operations applied in order (RFC 7644 §3.5.2), as Entra and Okta send
 * them: a path (`active`, `name.familyName`, `emails[type eq "work"].value`, `members[value eq "…"]`, a URN-qualified
 * enterprise attribute) or none (an object of attributes); add appends to a multi-valued attribute and merges into a
 * complex one, replace replaces, remove unsets (a required attribute: 400 `mutability`). `id` and `meta` are
 * read-only; attributes this service does not keep are ignored.
 *
 * @example
 * ```ts
 * applyPatch({ shape: USER_SHAPE, id }, body, [{ op: 'replace', path: 'active', value: 'False' }]); // { ok: true, body: { …, active: false } }
 * ```
 */
export function applyPatch(
  t: PatchTarget,
  body: ScimBody,
  operations: readonly PatchOperation[],
): { readonly ok: true; readonly body: ScimBody } | ScimFailure {
  const next = structuredClone(body);
  for (const o of operations) {
    const failed =
      o.path === undefined || o.path.trim() === ''
        ? applyNoPath(t, next, o)
        : applyPath(t, next, o.path, o);
    if (failed) return failed;
  }
  return { ok: true, body: next };
}
