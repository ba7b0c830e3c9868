// Checks an answer against a vendored slice of a service's OpenAPI (test/testing/fixtures/*-openapi-slice.json): the
// types, enums and formats of the fields the slice names. Fields the slice does not name are left alone (neither spec
// forbids extra response fields).

type Json = Record<string, unknown>;
type Schema = Json;

const isObject = (v: unknown): v is Json =>
  v !== null && typeof v === 'object' && !Array.isArray(v);

/**
 * What in `value` the OpenAPI 3 `schema` refuses (`$ref` into `schemas`, `type`, `enum`, `format` date-time and
 * uuid, `properties`, `items`), as `path: why` lines; [] when it conforms.
 */
export function openApiMismatches(
  value: unknown,
  schema: Schema,
  schemas: Readonly<Record<string, Schema>>,
  path = '$',
): string[] {
  const ref = schema['$ref'];
  if (typeof ref === 'string') {
    const target = schemas[ref.split('/').pop() ?? ''];
    if (!target) return [`${path}: unknown $ref ${ref}`];
    return openApiMismatches(value, { ...target, ...withoutRef(schema) }, schemas, path);
  }
  if (value === undefined) return [];
  const out: string[] = [];
  const type = schema['type'];
  const fail = (why: string) => out.push(`${path}: ${why} (${JSON.stringify(value)})`);
  if (type === 'string' && typeof value !== 'string') fail('not a string');
  if (type === 'integer' && !Number.isInteger(value)) fail('not an integer');
  if (type === 'number' && typeof value !== 'number') fail('not a number');
  if (type === 'boolean' && typeof value !== 'boolean') fail('not a boolean');
  if (type === 'array' && !Array.isArray(value)) fail('not an array');
  if (type === 'object' && !isObject(value)) fail('not an object');
  const allowed = schema['enum'];
  if (Array.isArray(allowed) && !allowed.includes(value)) fail(`not one of ${allowed.join(', ')}`);
  if (
    schema['format'] === 'date-time' &&
    typeof value === 'string' &&
    Number.isNaN(Date.parse(value))
  )
    fail('not a date-time');
  if (
    schema['format'] === 'uuid' &&
    typeof value === 'string' &&
    !/^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i.test(value)
  )
    fail('not a uuid');
  const props = schema['properties'];
  if (isObject(props) && isObject(value))
    for (const [name, s] of Object.entries(props))
      out.push(...openApiMismatches(value[name], s as Schema, schemas, `${path}.${name}`));
  const items = schema['items'];
  if (isObject(items) && Array.isArray(value))
    value.forEach((v, i) =>
      out.push(...openApiMismatches(v, items, schemas, `${path}[${String(i)}]`)),
    );
  return out;
}

const withoutRef = (schema: Schema): Schema => {
  const { $ref: _ref, ...rest } = schema;
  return rest;
};

/** A field of the Stripe slice's objects: its JSON type, and whether null, an expanded object or absence is allowed. */
interface StripeField {
  readonly type: 'string' | 'integer' | 'boolean' | 'object' | 'array' | 'list';
  readonly nullable?: boolean;
  readonly expandable?: boolean;
  readonly includable?: boolean;
  readonly enum?: readonly string[];
}

/** An object of the Stripe slice: its required fields and the types of the fields Atakora reads. */
export interface StripeObjectSpec {
  readonly required: readonly string[];
  readonly properties: Readonly<Record<string, StripeField>>;
}

/** What in a Stripe object the slice's `spec` refuses, as `field: why` lines; [] when it conforms. */
export function stripeMismatches(value: unknown, spec: StripeObjectSpec, path = '$'): string[] {
  if (!isObject(value)) return [`${path}: not an object`];
  const out: string[] = [];
  for (const name of spec.required)
    if (!(name in value)) out.push(`${path}.${name}: required, absent`);
  for (const [name, f] of Object.entries(spec.properties)) {
    const v = value[name];
    if (v === undefined) continue;
    const at = `${path}.${name}`;
    if (v === null) {
      if (!f.nullable) out.push(`${at}: null, not nullable`);
      continue;
    }
    if (f.expandable && isObject(v) && typeof v['id'] === 'string') continue;
    const ok =
      (f.type === 'string' && typeof v === 'string') ||
      (f.type === 'integer' && Number.isInteger(v)) ||
      (f.type === 'boolean' && typeof v === 'boolean') ||
      (f.type === 'object' && isObject(v)) ||
      (f.type === 'array' && Array.isArray(v)) ||
      (f.type === 'list' && isObject(v) && v['object'] === 'list' && Array.isArray(v['data']));
    if (!ok) out.push(`${at}: not ${f.type} (${JSON.stringify(v)})`);
    if (f.enum && !f.enum.includes(v as string)) out.push(`${at}: not one of ${f.enum.join(', ')}`);
  }
  return out;
}
