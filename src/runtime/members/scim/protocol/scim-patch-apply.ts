import type { ScimAttributeDefinition } from '../../../../contract/scim/scim-schemas.js';
import { attributeNamed, type ResourceShape, type ScimPath, type ValueTest } from './scim-path.js';
import { attributeValue, complexValue, MAX_SCIM_VALUES, type ScimFailure } from './scim-values.js';

/** A resource's client-written attributes: core ones at the top, an extension's under its URN. */
export type ScimBody = Record<string, unknown>;
type Values = Record<string, unknown>;

/** What one operation needs besides its path: the op, the value, and the attributes held by a bound of their own. */
export interface ApplyOne {
  readonly op: 'add' | 'replace' | 'remove';
  readonly value: unknown;
  readonly unbounded: readonly string[];
}

const mutability = (detail: string): ScimFailure => ({ ok: false, scimType: 'mutability', detail });
const invalidValue = (detail: string): ScimFailure => ({
  ok: false,
  scimType: 'invalidValue',
  detail,
});
const isObject = (v: unknown): v is Values => !!v && typeof v === 'object' && !Array.isArray(v);
/** Two kept values alike (sanitized values have their keys in the schema's order). */
const alike = (a: unknown, b: unknown) => JSON.stringify(a) === JSON.stringify(b);

/** `values` with its keys in the order of `defs` (a merge keeps the schema's order). */
const ordered = (defs: readonly ScimAttributeDefinition[] | undefined, values: Values): Values =>
  Object.fromEntries(
    (defs ?? []).flatMap((d) => (values[d.name] === undefined ? [] : [[d.name, values[d.name]]])),
  );

/** Set (or, undefined, unset) `name` in `target`. */
function put(target: Values, name: string, value: unknown): void {
  if (value === undefined) Reflect.deleteProperty(target, name);
  else target[name] = value;
}

/** An operation's result on one attribute: its next value (undefined: unassigned), or the refusal. */
type Next = { readonly ok: true; readonly value: unknown } | ScimFailure;
const to = (value: unknown): Next => ({ ok: true, value });

const matches = (element: unknown, tests: readonly ValueTest[]) =>
  isObject(element) &&
  tests.every(({ sub, value }) => {
    const got = element[sub.name];
    return typeof value === 'string' && typeof got === 'string' && !sub.caseExact
      ? got.toLowerCase() === value.toLowerCase()
      : got === value;
  });

/** A value filter's tests as the value they select (`type eq "work"` → `{ type: 'work' }`). */
const selected = (tests: readonly ValueTest[]) =>
  Object.fromEntries(tests.map((t) => [t.sub.name, t.value]));

/** An operation on the values of a multi-valued attribute a value filter selects (RFC 7644 §3.5.2, `valuePath`). */
function onFiltered(
  def: ScimAttributeDefinition,
  list: readonly unknown[],
  path: ScimPath & { filter: readonly ValueTest[] },
  one: ApplyOne,
): Next {
  const { filter, sub } = path;
  const hit = list.some((e) => matches(e, filter));
  if (one.op === 'remove')
    return to(
      sub
        ? list.map((e) => (matches(e, filter) && isObject(e) ? withoutKey(e, sub.name) : e))
        : list.filter((e) => !matches(e, filter)),
    );
  const kept = sub
    ? complexValue(def, { [sub.name]: one.value }, `${def.name}.${sub.name}`)
    : complexValue(def, one.value, def.name);
  if (!kept.ok) return kept;
  const values = (kept.value ?? {}) as Values;
  // No value selected: Entra's `Replace emails[type eq "work"].value` on a user with no work e-mail adds one.
  if (!hit) return to([...list, ordered(def.subAttributes, { ...selected(filter), ...values })]);
  return to(
    list.map((e) =>
      matches(e, filter) && isObject(e)
        ? ordered(def.subAttributes, sub ? { ...e, ...values } : values)
        : e,
    ),
  );
}

const withoutKey = (o: Values, key: string): Values =>
  Object.fromEntries(Object.entries(o).filter(([k]) => k !== key));

/** An operation on a sub-attribute (`name.givenName`; `emails.type`: of every value). */
function onSub(
  def: ScimAttributeDefinition,
  current: unknown,
  sub: ScimAttributeDefinition,
  one: ApplyOne,
): Next {
  const kept =
    one.op === 'remove'
      ? to({})
      : complexValue(def, { [sub.name]: one.value }, `${def.name}.${sub.name}`);
  if (!kept.ok) return kept;
  const set = (e: Values) =>
    ordered(def.subAttributes, { ...withoutKey(e, sub.name), ...((kept.value ?? {}) as Values) });
  if (!def.multiValued) return to(set(isObject(current) ? current : {}));
  const list: readonly unknown[] = Array.isArray(current) ? current : [];
  return to(
    list.length === 0 && one.op !== 'remove'
      ? [set({})]
      : list.map((e) => (isObject(e) ? set(e) : e)),
  );
}

/** An operation on a whole attribute (RFC 7644 §3.5.2.1–3: add appends and merges, replace replaces, remove unsets). */
function onWhole(def: ScimAttributeDefinition, current: unknown, one: ApplyOne): Next {
  const list: readonly unknown[] = Array.isArray(current) ? current : [];
  if (one.op === 'remove') {
    if (def.required) return mutability(`${def.name} is required: replace it, never remove it.`);
    // Entra removes group members as `Remove members` with the values to remove (Learn, "Known issues…").
    if (!def.multiValued || one.value === undefined) return to(undefined);
    const gone = attributeValue(def, one.value, def.name, true);
    if (!gone.ok) return gone;
    const out = (gone.value ?? []) as readonly Values[];
    const removed = (e: unknown) =>
      out.some(
        (g) =>
          alike(g, e) || (isObject(e) && g['value'] !== undefined && g['value'] === e['value']),
      );
    return to(list.filter((e) => !removed(e)));
  }
  const kept = attributeValue(def, one.value, def.name, one.unbounded.includes(def.name));
  if (!kept.ok) return kept;
  if (kept.value === undefined) {
    if (def.required) return invalidValue(`${def.name} is required.`);
    return to(one.op === 'replace' ? undefined : current);
  }
  if (def.multiValued && one.op === 'add') {
    const added = (kept.value as readonly unknown[]).filter((v) => !list.some((e) => alike(e, v)));
    return to([...list, ...added]);
  }
  if (def.type === 'complex' && !def.multiValued && isObject(current))
    return to(ordered(def.subAttributes, { ...current, ...(kept.value as Values) }));
  return kept;
}

/**
 * Apply one operation at a resolved path to `body` (a fresh copy, changed in place): the failure, or undefined.
 *
 * @example
 * ```ts
 * applyAt(USER_SHAPE, body, path, { op: 'replace', value: 'Roe', unbounded: [] });
 * ```
 */
export function applyAt(
  shape: ResourceShape,
  body: ScimBody,
  path: ScimPath,
  one: ApplyOne,
): ScimFailure | undefined {
  const ext = path.schema === shape.core ? undefined : path.schema;
  const def = path.attribute;
  if (!def) return wholeExtension(shape, body, path, one);
  const target: Values = ext
    ? isObject(body[ext.id])
      ? { ...(body[ext.id] as Values) }
      : {}
    : body;
  const current = target[def.name];
  const listed: readonly unknown[] = Array.isArray(current) ? current : [];
  const next = path.filter
    ? onFiltered(def, listed, path as ScimPath & { filter: readonly ValueTest[] }, one)
    : path.sub
      ? onSub(def, current, path.sub, one)
      : onWhole(def, current, one);
  if (!next.ok) return next;
  const value: unknown = next.value;
  const cleaned = Array.isArray(value)
    ? (value as readonly unknown[]).filter((e) => !isObject(e) || Object.keys(e).length > 0)
    : value;
  const empty =
    cleaned === undefined ||
    (Array.isArray(cleaned) && cleaned.length === 0) ||
    (isObject(cleaned) && Object.keys(cleaned).length === 0);
  if (
    Array.isArray(cleaned) &&
    !one.unbounded.includes(def.name) &&
    cleaned.length > MAX_SCIM_VALUES
  )
    return invalidValue(`${def.name} holds at most ${String(MAX_SCIM_VALUES)} values.`);
  put(target, def.name, empty ? undefined : cleaned);
  if (ext)
    put(body, ext.id, Object.keys(target).length > 0 ? ordered(ext.attributes, target) : undefined);
  return undefined;
}

/** An operation on an extension's URN alone: remove drops it; add and replace apply to each attribute given. */
function wholeExtension(
  shape: ResourceShape,
  body: ScimBody,
  path: ScimPath,
  one: ApplyOne,
): ScimFailure | undefined {
  if (one.op === 'remove') {
    Reflect.deleteProperty(body, path.schema.id);
    return undefined;
  }
  if (!isObject(one.value))
    return invalidValue(`${path.schema.id} takes an object of its attributes.`);
  for (const [k, v] of Object.entries(one.value)) {
    const attribute = attributeNamed(path.schema.attributes, k);
    if (!attribute) continue;
    const failed = applyAt(shape, body, { schema: path.schema, attribute }, { ...one, value: v });
    if (failed) return failed;
  }
  return undefined;
}
