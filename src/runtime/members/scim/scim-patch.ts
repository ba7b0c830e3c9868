import { SCIM_SCHEMAS } from '../../../contract/scim/scim.js';
import type { ScimEmail, ScimName, ScimUser } from './scim-items.js';

/**
 * One operation of a PatchOp (RFC 7644 §3.5.2), its `op` lower-cased: Entra has sent `Add`, `Replace`, `Remove`
 * (Learn, "Known issues and resolutions with SCIM 2.0 protocol compliance of the Microsoft Entra user provisioning
 * service": op values are case-insensitive).
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

/**
 * A boolean as Entra sends one: `false`, or the string `"False"` (Learn, "Known issues…": the provisioning service
 * sent booleans as strings in PATCH values); undefined for anything else.
 *
 * @example
 * ```ts
 * booleanOf('False'); // false
 * ```
 */
export function booleanOf(v: unknown): boolean | undefined {
  if (typeof v === 'boolean') return v;
  if (typeof v === 'string' && /^(true|false)$/i.test(v.trim()))
    return v.trim().toLowerCase() === 'true';
  return undefined;
}

/** A patch's failure: the detail and the SCIM `scimType`. */
export interface PatchFailure {
  readonly detail: string;
  readonly scimType: 'invalidValue' | 'invalidPath' | 'mutability';
}

const str = (v: unknown): string | undefined => (typeof v === 'string' ? v : undefined);
const WORK_EMAIL = /^emails\[type eq "([^"]+)"\]\.value$/i;

/** `u` with one attribute at `path` set (or removed: `value` undefined); unknown attributes are ignored. */
function setAttribute(u: ScimUser, path: string, value: unknown): ScimUser | PatchFailure {
  const p = path.replace(/^urn:ietf:params:scim:schemas:core:2\.0:User:/i, '');
  const key = p.toLowerCase();
  if (key === 'active') {
    if (value === undefined) return { ...u, active: false };
    const b = booleanOf(value);
    return b === undefined
      ? { detail: 'active is a boolean.', scimType: 'invalidValue' }
      : { ...u, active: b };
  }
  if (key === 'username') {
    const s = str(value)?.trim();
    return s
      ? { ...u, userName: s }
      : { detail: 'userName is a non-empty string.', scimType: 'invalidValue' };
  }
  if (key === 'externalid' || key === 'displayname') {
    const field = key === 'externalid' ? 'externalId' : 'displayName';
    const { [field]: _old, ...rest } = u;
    const s = str(value);
    return s === undefined ? rest : { ...rest, [field]: s };
  }
  if (key.startsWith('name.')) {
    const part = (['givenName', 'familyName', 'formatted'] as const).find(
      (n) => n.toLowerCase() === key.slice(5),
    );
    if (!part) return u;
    const s = str(value);
    const kept = Object.entries(u.name ?? {}).filter(([k]) => k !== part);
    return { ...u, name: Object.fromEntries(s === undefined ? kept : [...kept, [part, s]]) };
  }
  if (key === 'name') return { ...u, name: nameOf(value) ?? {} };
  if (key === 'emails') return { ...u, emails: emailsOf(value) ?? [] };
  const typed = WORK_EMAIL.exec(p);
  if (typed) {
    const type = (typed[1] ?? '').toLowerCase();
    const others = (u.emails ?? []).filter((e) => (e.type ?? '').toLowerCase() !== type);
    const s = str(value);
    const mine = (u.emails ?? []).find((e) => (e.type ?? '').toLowerCase() === type);
    return {
      ...u,
      emails:
        s === undefined ? others : [...others, { ...(mine ?? { primary: true }), type, value: s }],
    };
  }
  // Attributes this service keeps nothing of (title, phoneNumbers, the enterprise extension, …): accepted, ignored,
  // so a default Entra mapping provisions without edits.
  return u;
}

/**
 * A user's name from a SCIM value, else undefined.
 *
 * @example
 * ```ts
 * nameOf({ givenName: 'Ada', familyName: 'Lovelace' });
 * ```
 */
export function nameOf(v: unknown): ScimName | undefined {
  if (!v || typeof v !== 'object') return undefined;
  const o = v as Record<string, unknown>;
  return Object.fromEntries(
    (['givenName', 'familyName', 'formatted'] as const).flatMap((k) =>
      typeof o[k] === 'string' ? [[k, o[k]]] : [],
    ),
  );
}

/**
 * A user's e-mails from a SCIM value (at most 10 with a string `value`), else undefined.
 *
 * @example
 * ```ts
 * emailsOf([{ value: 'ada@contoso.com', type: 'work', primary: true }]);
 * ```
 */
export function emailsOf(v: unknown): ScimEmail[] | undefined {
  if (!Array.isArray(v)) return undefined;
  return v.slice(0, 10).flatMap((e: unknown) => {
    const o = e && typeof e === 'object' ? (e as Record<string, unknown>) : {};
    const value = str(o['value']);
    if (!value) return [];
    const type = str(o['type']);
    return [
      {
        value,
        ...(type !== undefined ? { type } : {}),
        ...(booleanOf(o['primary']) !== undefined ? { primary: booleanOf(o['primary']) } : {}),
      },
    ];
  });
}

/**
 * A user with a PatchOp's operations applied in order: a `path`'s attribute set or removed; without a path, the
 * value an object of attributes, dotted keys included (`{ "name.givenName": "Ada" }`, as Entra sends them; Learn,
 * "Develop a SCIM endpoint for user provisioning", PATCH examples). `id` and the user's `meta` are read-only.
 *
 * @example
 * ```ts
 * applyUserPatch(user, [{ op: 'replace', path: 'active', value: 'False' }]); // { ...user, active: false }
 * ```
 */
export function applyUserPatch(
  user: ScimUser,
  operations: readonly PatchOperation[],
): { ok: true; user: ScimUser } | ({ ok: false } & PatchFailure) {
  let u = user;
  for (const o of operations) {
    const pairs: [string, unknown][] =
      o.path !== undefined
        ? [[o.path, o.op === 'remove' ? undefined : o.value]]
        : o.value && typeof o.value === 'object' && !Array.isArray(o.value)
          ? Object.entries(o.value as Record<string, unknown>)
          : [];
    if (pairs.length === 0)
      return {
        ok: false,
        detail: `An ${o.op} without a path takes an object of attributes.`,
        scimType: 'invalidValue',
      };
    for (const [path, value] of pairs) {
      if (/^(id|meta)(\.|$)/i.test(path))
        return { ok: false, detail: `${path} is read-only.`, scimType: 'mutability' };
      const next = setAttribute(u, path, value);
      if ('scimType' in next) return { ok: false, ...next };
      u = next;
    }
  }
  return { ok: true, user: u };
}
