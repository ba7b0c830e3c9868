import { attributeNamed, type ResourceShape } from './scim-path.js';

/** One attribute a projection names: the resource's key (an attribute, an extension's URN, `meta`), within it. */
interface Pick {
  readonly key: string;
  readonly inner?: string;
  readonly sub?: string;
}

type Json = Record<string, unknown>;
const isObject = (v: unknown): v is Json => !!v && typeof v === 'object' && !Array.isArray(v);

/** `attr` or `attr.sub` of `attributes` (any case), as the resource's names; undefined for what it does not hold. */
function named(
  attributes: Parameters<typeof attributeNamed>[0],
  text: string,
): { name: string; sub?: string } | undefined {
  const [head = '', sub] = text.split('.');
  const def = attributeNamed(attributes, head);
  if (!def) return undefined;
  if (sub === undefined) return { name: def.name };
  const s = attributeNamed(def.subAttributes, sub);
  return s ? { name: def.name, sub: s.name } : undefined;
}

/** A name of `attributes`/`excludedAttributes` (RFC 7644 §3.9) as a {@link Pick}, or undefined when unknown. */
function pickOf(shape: ResourceShape, raw: string): Pick | undefined {
  const text = raw.trim();
  const lower = text.toLowerCase();
  for (const ext of shape.extensions) {
    const id = ext.id.toLowerCase();
    if (lower === id) return { key: ext.id };
    if (!lower.startsWith(`${id}:`)) continue;
    const n = named(ext.attributes, text.slice(id.length + 1));
    return n ? { key: ext.id, inner: n.name, ...(n.sub ? { sub: n.sub } : {}) } : undefined;
  }
  const core = shape.core.id.toLowerCase();
  const local = lower.startsWith(`${core}:`) ? text.slice(core.length + 1) : text;
  const [head = '', sub] = local.split('.');
  if (/^(id|meta)$/i.test(head)) return { key: head.toLowerCase(), ...(sub ? { sub } : {}) };
  const n = named(shape.core.attributes, local);
  return n ? { key: n.name, ...(n.sub ? { sub: n.sub } : {}) } : undefined;
}

/** The value at `sub` of a complex value, or of each value of a multi-valued one (those without it left out). */
function subOf(value: unknown, sub: string): unknown {
  if (Array.isArray(value)) {
    const values = value.flatMap((e) =>
      isObject(e) && e[sub] !== undefined ? [{ [sub]: e[sub] }] : [],
    );
    return values.length > 0 ? values : undefined;
  }
  return isObject(value) && value[sub] !== undefined ? { [sub]: value[sub] } : undefined;
}

/** The value `p` selects in `resource` (as it stands there, nested as it is nested). */
function selectedBy(resource: Json, p: Pick): unknown {
  const top = resource[p.key];
  if (p.inner === undefined) return p.sub ? subOf(top, p.sub) : top;
  const inner = isObject(top) ? top[p.inner] : undefined;
  const value = p.sub ? subOf(inner, p.sub) : inner;
  return value === undefined ? undefined : { [p.inner]: value };
}

/** `resource` without what `p` selects. */
function withoutPick(resource: Json, p: Pick): Json {
  if (p.key === 'id') return resource;
  const top = resource[p.key];
  const drop = (v: unknown, sub?: string): unknown => {
    if (!sub) return undefined;
    const strip = (e: unknown) =>
      isObject(e) ? Object.fromEntries(Object.entries(e).filter(([k]) => k !== sub)) : e;
    return Array.isArray(v) ? v.map(strip) : isObject(v) ? strip(v) : v;
  };
  const next =
    p.inner === undefined
      ? drop(top, p.sub)
      : isObject(top)
        ? { ...top, [p.inner]: drop(top[p.inner], p.sub) }
        : top;
  return { ...resource, [p.key]: next };
}

/** Merge `value` (as {@link selectedBy} gives it) into `out[key]`. */
function merged(out: Json, key: string, value: unknown): Json {
  const have = out[key];
  if (isObject(have) && isObject(value)) return { ...out, [key]: { ...have, ...value } };
  if (Array.isArray(have) && Array.isArray(value))
    return { ...out, [key]: have.map((e, i) => ({ ...(e as Json), ...(value[i] as Json) })) };
  return { ...out, [key]: value };
}

/** Leave out what is empty (an unassigned attribute is absent, RFC 7643 §2.5), `schemas` naming what remains. */
function tidy(resource: Json, out: Json): Json {
  const kept = Object.fromEntries(
    Object.entries(out).filter(
      ([, v]) => v !== undefined && !(isObject(v) && Object.keys(v).length === 0),
    ),
  );
  const schemas = (resource['schemas'] as string[]).filter(
    (u, i) => i === 0 || kept[u] !== undefined,
  );
  // `schemas` leads the resource already: replacing its value keeps it first.
  return { ...kept, schemas };
}

/**
 * A resource as `attributes` or `excludedAttributes` asks for it (RFC 7644 §3.9, on every read and on what POST, PUT
 * and PATCH answer): `attributes` — `schemas` and `id` (returned "always") and the attributes named, sub-attributes
 * (`name.givenName`, `emails.value`) and URN-qualified names included; else `excludedAttributes` — all but those named
 * (never `id`). Names it does not know change nothing.
 *
 * @example
 * ```ts
 * projected(USER_SHAPE, user, new URLSearchParams('attributes=userName')); // { schemas, id, userName }
 * ```
 */
export function projected(shape: ResourceShape, resource: Json, params: URLSearchParams): Json {
  const list = (k: string) =>
    params
      .getAll(k)
      .flatMap((v) => v.split(','))
      .map((n) => pickOf(shape, n))
      .filter((p): p is Pick => p !== undefined);
  const wanted = list('attributes');
  if (wanted.length > 0 || params.get('attributes')?.trim()) {
    let out: Json = { schemas: resource['schemas'], id: resource['id'] };
    for (const p of wanted) {
      const value = selectedBy(resource, p);
      if (value !== undefined) out = merged(out, p.key, value);
    }
    return tidy(resource, out);
  }
  const excluded = list('excludedAttributes');
  return excluded.length === 0 ? resource : tidy(resource, excluded.reduce(withoutPick, resource));
}
