import type { ScimAttributeDefinition } from '../../../../contract/scim/scim-schemas.js';
import { attributeNamed, type ResourceShape } from './scim-path.js';

/** A value refused as RFC 7644 §3.12 names it: the `scimType` and what to send instead. */
export interface ScimFailure {
  readonly ok: false;
  readonly scimType:
    | 'invalidValue'
    | 'invalidPath'
    | 'invalidFilter'
    | 'mutability'
    | 'noTarget'
    | 'invalidSyntax';
  readonly detail: string;
}

/** A value as kept: undefined for none (`null`, absent: the attribute unassigned, RFC 7643 §2.5). */
export type Kept = { readonly ok: true; readonly value: unknown } | ScimFailure;

/** The longest string value kept (a display name, an address line, …). */
export const MAX_SCIM_TEXT = 2048;
/** The most values of a multi-valued attribute (e-mails, phone numbers, addresses; a group's members apart). */
export const MAX_SCIM_VALUES = 20;

const refuse = (detail: string): ScimFailure => ({ ok: false, scimType: 'invalidValue', detail });

/**
 * A boolean as Entra sends one: `false`, or the string `"False"` (Learn, "Known issues and resolutions with SCIM 2.0
 * protocol compliance": the provisioning service sends booleans as strings without its compliance flag); undefined
 * for anything else.
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

/** A string or boolean attribute's value as sent (a boolean from Entra's strings), or the refusal. */
function simpleValue(def: ScimAttributeDefinition, raw: unknown, at: string): Kept {
  if (raw === null || raw === undefined) return { ok: true, value: undefined };
  if (def.type === 'boolean') {
    const b = booleanOf(raw);
    return b === undefined ? refuse(`${at} is a boolean.`) : { ok: true, value: b };
  }
  if (typeof raw !== 'string') return refuse(`${at} is a string.`);
  if (raw.length > MAX_SCIM_TEXT)
    return refuse(`${at} is longer than ${String(MAX_SCIM_TEXT)} characters.`);
  return { ok: true, value: raw };
}

/**
 * One value of a complex attribute, its sub-attributes in the schema's order and names (those it does not declare
 * left out); a string for an attribute with a `value` sub-attribute is that value (Entra sends a manager so).
 */
export function complexValue(def: ScimAttributeDefinition, raw: unknown, at: string): Kept {
  if (raw === null || raw === undefined) return { ok: true, value: undefined };
  const subs = def.subAttributes ?? [];
  const given = typeof raw === 'string' && attributeNamed(subs, 'value') ? { value: raw } : raw;
  if (typeof given !== 'object' || given === null || Array.isArray(given))
    return refuse(`${at} is an object of ${subs.map((s) => s.name).join(', ')}.`);
  const entries = Object.entries(given as Record<string, unknown>);
  const out: [string, unknown][] = [];
  for (const sub of subs) {
    const found = entries.find(([k]) => k.toLowerCase() === sub.name.toLowerCase());
    const kept = simpleValue(sub, found?.[1], `${at}.${sub.name}`);
    if (!kept.ok) return kept;
    if (kept.value !== undefined) out.push([sub.name, kept.value]);
  }
  return { ok: true, value: out.length > 0 ? Object.fromEntries(out) : undefined };
}

/**
 * An attribute's value as kept: a simple value, a complex one, or the list of a multi-valued one (a lone object taken
 * as a list of one; empty values left out; at most {@link MAX_SCIM_VALUES} unless `unbounded`).
 *
 * @example
 * ```ts
 * attributeValue(emailsDefinition, [{ value: 'ada@contoso.com', type: 'work', primary: 'True' }], 'emails');
 * // { ok: true, value: [{ value: 'ada@contoso.com', type: 'work', primary: true }] }
 * ```
 */
export function attributeValue(
  def: ScimAttributeDefinition,
  raw: unknown,
  at: string,
  unbounded = false,
): Kept {
  if (!def.multiValued)
    return def.type === 'complex' ? complexValue(def, raw, at) : simpleValue(def, raw, at);
  if (raw === null || raw === undefined) return { ok: true, value: undefined };
  const list = Array.isArray(raw) ? raw : [raw];
  if (!unbounded && list.length > MAX_SCIM_VALUES)
    return refuse(`${at} holds at most ${String(MAX_SCIM_VALUES)} values.`);
  const values: unknown[] = [];
  for (const [i, one] of list.entries()) {
    const kept =
      def.type === 'complex'
        ? complexValue(def, one, `${at}[${String(i)}]`)
        : simpleValue(def, one, `${at}[${String(i)}]`);
    if (!kept.ok) return kept;
    if (kept.value !== undefined) values.push(kept.value);
  }
  return { ok: true, value: values.length > 0 ? values : undefined };
}

/** Whether `name` is an attribute a client never writes (RFC 7643 §3.1: `id` and `meta` are the service's). */
const serviceOwned = (name: string) => /^(id|meta|schemas)$/i.test(name);

/**
 * A POST or PUT body as kept (RFC 7644 §3.3, §3.5.1): each attribute of the shape's schemas — core attributes at the
 * top, an extension's under its URN — sanitized; attributes the schemas do not declare (and `id`, `meta`,
 * `schemas`) left out. Required attributes are the caller's to check.
 *
 * @example
 * ```ts
 * resourceBody(USER_SHAPE, { userName: 'ada@contoso.com', password: 'x', roles: [] }); // { ok: true, body: { userName } }
 * ```
 */
export function resourceBody(
  shape: ResourceShape,
  raw: Record<string, unknown>,
  unbounded: readonly string[] = [],
): { readonly ok: true; readonly body: Record<string, unknown> } | ScimFailure {
  const body: Record<string, unknown> = {};
  for (const [key, given] of Object.entries(raw)) {
    const ext = shape.extensions.find((e) => e.id.toLowerCase() === key.toLowerCase());
    if (ext) {
      if (!given || typeof given !== 'object' || Array.isArray(given))
        return refuse(`${ext.id} holds an object of its attributes.`);
      const inner: Record<string, unknown> = {};
      for (const [k, v] of Object.entries(given as Record<string, unknown>)) {
        const def = attributeNamed(ext.attributes, k);
        if (!def) continue;
        const kept = attributeValue(def, v, `${ext.id}:${def.name}`);
        if (!kept.ok) return kept;
        if (kept.value !== undefined) inner[def.name] = kept.value;
      }
      if (Object.keys(inner).length > 0) body[ext.id] = inner;
      continue;
    }
    const def = serviceOwned(key) ? undefined : attributeNamed(shape.core.attributes, key);
    if (!def) continue;
    const kept = attributeValue(def, given, def.name, unbounded.includes(def.name));
    if (!kept.ok) return kept;
    if (kept.value !== undefined) body[def.name] = kept.value;
  }
  return { ok: true, body };
}
