// The resource models scim2-tester builds from what the server publishes, and the values it fills them with — a
// port of python-scim/scim2-client `build_resource_models` (client.py: `Resource.from_schema` of each resource type's
// schema, `Extension.from_schema` of its extensions), python-scim/scim2-models `Path.iter_paths` (path.py) and
// python-scim/scim2-tester filling.py (`generate_random_value`, `fill_with_random_values`,
// `fix_primary_attributes`) and utils.py (`fields_equality`).
import { randomUUID } from 'node:crypto';
import type { Json } from './client.js';

/** An attribute as `GET Schemas` publishes it (RFC 7643 §7). */
export interface Attr {
  readonly name: string;
  readonly type: string;
  readonly multiValued: boolean;
  readonly required: boolean;
  readonly mutability: string;
  readonly returned: string;
  readonly subAttributes?: readonly Attr[];
}

/** One path of `Path[Model].iter_paths(include_subattributes=False)`: an attribute, or an extension by its URN. */
export interface AttrPath {
  readonly urn: string;
  /** The extension schema owning the attribute, or the extension itself when `attr` is absent. */
  readonly extension?: string;
  readonly attr?: Attr;
}

/** A resource model: the resource type's endpoint and schema, its fields in pydantic's order, its extensions. */
export interface Model {
  readonly name: string;
  readonly schema: string;
  readonly endpoint: string;
  /** The core fields: `externalId` first (scim2-models Resource declares it before the schema's own), then the schema's. */
  readonly fields: readonly Attr[];
  readonly extensions: readonly { readonly schema: string; readonly attributes: readonly Attr[] }[];
}

// scim2-models resources/resource.py: `external_id: Annotated[str | None, Mutability.read_write, Returned.default,
// CaseExact.true]`, declared on Resource before any field `from_schema` adds (pydantic keeps a base field's place
// when a subclass redefines it, with the subclass's annotations).
const EXTERNAL_ID: Attr = {
  name: 'externalId',
  type: 'string',
  multiValued: false,
  required: false,
  mutability: 'readWrite',
  returned: 'default',
};

/** `build_resource_models`: one model per resource type, from its schema and extensions' schemas. */
export function buildModels(resourceTypes: readonly Json[], schemas: readonly Json[]): Model[] {
  const byId = new Map(schemas.map((s) => [s.id as string, s]));
  return resourceTypes.map((rt) => {
    const core = byId.get(rt.schema);
    if (!core) throw new Error(`No schema ${rt.schema} for the resource type ${rt.id}`);
    const own = core.attributes as Attr[];
    const ext = own.find((a) => a.name === 'externalId') ?? EXTERNAL_ID;
    return {
      name: rt.name,
      schema: rt.schema,
      endpoint: rt.endpoint,
      fields: [ext, ...own.filter((a) => a.name !== 'externalId')],
      extensions: ((rt.schemaExtensions ?? []) as Json[]).map((e) => ({
        schema: e.schema as string,
        attributes: (byId.get(e.schema)?.attributes ?? []) as Attr[],
      })),
    };
  });
}

interface PathFilter {
  readonly required?: readonly boolean[];
  readonly mutability?: readonly string[];
}

const matches = (a: Attr | undefined, f: PathFilter) =>
  (!f.required || f.required.includes(a?.required ?? false)) &&
  (!f.mutability || f.mutability.includes(a?.mutability ?? 'readWrite'));

/**
 * `Path[model].iter_paths(include_subattributes=False, …)` (scim2-models path.py): the core fields, the extension
 * field itself by its URN (its annotations the defaults: readWrite, not required), then each extension's fields as
 * `URN:name`.
 */
export function iterPaths(model: Model, filter: PathFilter): AttrPath[] {
  const out: AttrPath[] = [];
  for (const attr of model.fields) if (matches(attr, filter)) out.push({ urn: attr.name, attr });
  for (const e of model.extensions)
    if (matches(undefined, filter)) out.push({ urn: e.schema, extension: e.schema });
  for (const e of model.extensions)
    for (const attr of e.attributes)
      if (matches(attr, filter))
        out.push({ urn: `${e.schema}:${attr.name}`, extension: e.schema, attr });
  return out;
}

/** `path.get(resource)`: the value at `path`, undefined when absent (attribute names compared without case). */
export function getPath(resource: Json | undefined, path: AttrPath): unknown {
  const field = (o: Json | undefined, name: string) => {
    if (!o || typeof o !== 'object') return undefined;
    const key = Object.keys(o).find((k) => k.toLowerCase() === name.toLowerCase());
    return key === undefined || o[key] === null ? undefined : o[key];
  };
  if (!path.extension) return field(resource, path.urn);
  const ext = field(resource, path.extension) as Json | undefined;
  return path.attr ? field(ext, path.attr.name) : ext;
}

/** A seeded source of the tester's `random.choice([True, False])`, so a failing run can be replayed. */
export class Random {
  constructor(private state: number) {}
  bool(): boolean {
    this.state = (Math.imul(this.state, 1103515245) + 12345) >>> 0;
    return (this.state >>> 16) % 2 === 0;
  }
}

const pascal = (name: string) => name.charAt(0).toUpperCase() + name.slice(1);
const WRITABLE = ['readWrite', 'writeOnly', 'immutable'];

/**
 * `generate_random_value`: a string a uuid4 (an e-mail `uuid@uuid.com` for `value` of a model named like "email", ten
 * digits for one named like "phone"), a boolean a coin, a complex value filled with every writable sub-attribute
 * (`fill_with_random_values` of the sub-model, which does not fix `primary`), a multi-valued one a list of one.
 */
export function randomValue(rnd: Random, attr: Attr, owner = ''): unknown {
  const o = owner.toLowerCase();
  let value: unknown;
  if (attr.name === 'value' && o.includes('email')) value = `${randomUUID()}@${randomUUID()}.com`;
  else if (attr.name === 'value' && o.includes('phone'))
    value = Array.from({ length: 10 }, () => String(randomUUID().charCodeAt(0) % 10)).join('');
  else if (attr.type === 'boolean') value = rnd.bool();
  else if (attr.type === 'complex') {
    const sub: Json = {};
    for (const s of attr.subAttributes ?? [])
      if (WRITABLE.includes(s.mutability)) sub[s.name] = randomValue(rnd, s, pascal(attr.name));
    value = sub;
  } else value = randomUUID();
  return attr.multiValued ? [value] : value;
}

/**
 * A path's value: its attribute's, or for the extension's own path `fill_with_random_values(model())` of the
 * extension model — a ScimObject, so dumped with its `schemas` (scim_object.py `_populate_schemas_default`).
 */
export function randomPathValue(rnd: Random, model: Model, path: AttrPath): unknown {
  if (path.attr) return randomValue(rnd, path.attr);
  const ext = model.extensions.find((e) => e.schema === path.extension);
  return {
    schemas: [path.extension],
    ...fillAttributes(rnd, ext?.attributes ?? [], { mutability: WRITABLE }),
  };
}

function fillAttributes(rnd: Random, attrs: readonly Attr[], filter: PathFilter): Json {
  const out: Json = {};
  for (const a of attrs) if (matches(a, filter)) out[a.name] = randomValue(rnd, a);
  return out;
}

/**
 * `fill_with_random_values` of a model: `required: [true]` (what `create_and_register` fills by default) or every
 * writable attribute (`fill_all=True`), the extension filled whole when its path passes the filter; then
 * `fix_primary_attributes`: in each multi-valued attribute with `primary`, exactly one value primary.
 */
export function fill(rnd: Random, model: Model, filter: PathFilter, into: Json = {}): Json {
  const out: Json = { ...into, ...fillAttributes(rnd, model.fields, filter) };
  // The extension's own path (readWrite, not required) fills it whole; its attributes' paths then refill each.
  for (const e of model.extensions)
    if (matches(undefined, filter)) out[e.schema] = fillAttributes(rnd, e.attributes, FILTERS.all);
  for (const a of model.fields) {
    const list = out[a.name];
    if (!Array.isArray(list) || !a.subAttributes?.some((s) => s.name === 'primary')) continue;
    list.forEach((v: Json, i) => {
      v.primary = i === 0;
    });
  }
  return out;
}

/** The fill filters the tester uses. */
export const FILTERS = {
  requiredOnly: { required: [true] },
  all: { mutability: WRITABLE },
} as const satisfies Record<string, PathFilter>;

/**
 * The creation request body (`model_dump(scim_ctx=RESOURCE_CREATION_REQUEST)`): readOnly attributes left out, and
 * `schemas` the core schema then every extension's (resource.py `set_extension_schemas` adds them all).
 */
export function requestBody(model: Model, values: Json): Json {
  const body: Json = { schemas: [model.schema, ...model.extensions.map((e) => e.schema)] };
  for (const [k, v] of Object.entries(values))
    if (!['id', 'meta', 'schemas'].includes(k)) body[k] = v;
  return body;
}

/**
 * `fields_equality`: a complex value compared by its `model_dump()` (nulls left out), a list of complex values by
 * pydantic's equality (every sub-attribute, an absent one null), anything else by `==`.
 */
export function fieldsEquality(expected: unknown, actual: unknown, attr?: Attr): boolean {
  const dump = (v: unknown): unknown =>
    v && typeof v === 'object' && !Array.isArray(v)
      ? Object.fromEntries(
          Object.entries(v as Json)
            .filter(([k, x]) => x !== null && x !== undefined && k !== 'schemas')
            .map(([k, x]) => [k, dump(x)]),
        )
      : v;
  if (Array.isArray(expected)) {
    if (!Array.isArray(actual) || actual.length !== expected.length) return false;
    const subs = attr?.subAttributes?.map((s) => s.name) ?? [];
    const whole = (v: Json) => Object.fromEntries(subs.map((s) => [s, v?.[s] ?? null]));
    return expected.every((e, i) =>
      subs.length > 0
        ? JSON.stringify(whole(e)) === JSON.stringify(whole(actual[i]))
        : e === actual[i],
    );
  }
  return JSON.stringify(sorted(dump(expected))) === JSON.stringify(sorted(dump(actual)));
}

const sorted = (v: unknown): unknown =>
  v && typeof v === 'object' && !Array.isArray(v)
    ? Object.fromEntries(
        Object.keys(v as Json)
          .sort()
          .map((k) => [k, sorted((v as Json)[k])]),
      )
    : v;
