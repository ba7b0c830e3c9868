import {
  ENTERPRISE_USER_SCHEMA,
  GROUP_SCHEMA,
  type ScimAttributeDefinition,
  type ScimSchemaDefinition,
  USER_SCHEMA,
} from '../../../../contract/scim/scim-schemas.js';

/** A resource's schemas: its core schema and its extensions (kept under their URN in a resource's body). */
export interface ResourceShape {
  readonly core: ScimSchemaDefinition;
  readonly extensions: readonly ScimSchemaDefinition[];
}

/** The User resource: the core schema and the enterprise extension. */
export const USER_SHAPE: ResourceShape = {
  core: USER_SCHEMA,
  extensions: [ENTERPRISE_USER_SCHEMA],
};
/** The Group resource. */
export const GROUP_SHAPE: ResourceShape = { core: GROUP_SCHEMA, extensions: [] };

/**
 * The attribute of `list` named `name` in any case (RFC 7643 §2.1: attribute names are case insensitive).
 *
 * @example
 * ```ts
 * attributeNamed(USER_SCHEMA.attributes, 'USERNAME')?.name; // 'userName'
 * ```
 */
export const attributeNamed = (
  list: readonly ScimAttributeDefinition[] | undefined,
  name: string,
): ScimAttributeDefinition | undefined =>
  list?.find((a) => a.name.toLowerCase() === name.toLowerCase());

/** One comparison of a value filter: `<sub-attribute> eq <value>` (the filters Entra and Okta send in paths). */
export interface ValueTest {
  readonly sub: ScimAttributeDefinition;
  readonly value: string | boolean;
}

/**
 * A path (RFC 7644 §3.5.2: `attrPath` or `valuePath [subAttr]`, optionally URN-qualified) resolved against a shape:
 * the schema it is in, its attribute (none: the whole extension), the value filter's tests and the sub-attribute.
 */
export interface ScimPath {
  readonly schema: ScimSchemaDefinition;
  readonly attribute?: ScimAttributeDefinition;
  readonly filter?: readonly ValueTest[];
  readonly sub?: ScimAttributeDefinition;
}

/** A path's resolution: the path, an attribute this service does not keep (`unknown`), or a SCIM 400. */
export type PathResult =
  | { readonly ok: true; readonly path: ScimPath }
  | { readonly ok: false; readonly unknown: true }
  | {
      readonly ok: false;
      readonly unknown?: false;
      readonly scimType: 'invalidPath' | 'invalidFilter';
      readonly detail: string;
    };

const NAME = '[A-Za-z][\\w$-]*';
const SHAPE = new RegExp(
  `^(${NAME})(?:\\[((?:[^\\]"]|"(?:[^"\\\\]|\\\\.)*")*)\\])?(?:\\.(${NAME}))?$`,
);
const TEST = new RegExp(`^(${NAME})\\s+eq\\s+("(?:[^"\\\\]|\\\\.)*"|true|false)$`, 'i');
const invalid = (detail: string): PathResult => ({ ok: false, scimType: 'invalidPath', detail });

/** A value filter's `and`-ed `eq` tests on `attribute`'s sub-attributes, or the SCIM 400. */
function valueTests(
  attribute: ScimAttributeDefinition,
  text: string,
): readonly ValueTest[] | PathResult {
  const tests: ValueTest[] = [];
  for (const part of text.trim().split(/\s+and\s+(?=(?:[^"]*"[^"]*")*[^"]*$)/i)) {
    const m = TEST.exec(part.trim());
    const sub = m ? attributeNamed(attribute.subAttributes, m[1] ?? '') : undefined;
    if (!m || !sub)
      return {
        ok: false,
        scimType: 'invalidFilter',
        detail: `A path's filter here is "<sub-attribute> eq <value>" joined by "and"; "${part}" is not one.`,
      };
    const raw = m[2] ?? '';
    const value = raw.startsWith('"')
      ? raw.slice(1, -1).replace(/\\(.)/g, '$1')
      : raw.toLowerCase() === 'true';
    tests.push({ sub, value });
  }
  return tests;
}

/**
 * Resolve `text` against `shape`: `userName`, `name.givenName`, `emails[type eq "work"].value`,
 * `members[value eq "…"]`, `urn:ietf:params:scim:schemas:extension:enterprise:2.0:User:department`, or an extension's
 * URN alone (the whole extension).
 *
 * @example
 * ```ts
 * resolvePath(USER_SHAPE, 'emails[type eq "work"].value'); // { ok: true, path: { attribute: emails, filter, sub: value } }
 * ```
 */
export function resolvePath(shape: ResourceShape, text: string): PathResult {
  let rest = text.trim();
  let schema = shape.core;
  const lower = rest.toLowerCase();
  const named = [shape.core, ...shape.extensions].find(
    (s) => lower === s.id.toLowerCase() || lower.startsWith(`${s.id.toLowerCase()}:`),
  );
  if (named) {
    if (lower === named.id.toLowerCase())
      return named === shape.core
        ? invalid(`${text} names a schema, not an attribute.`)
        : { ok: true, path: { schema: named } };
    schema = named;
    rest = rest.slice(named.id.length + 1);
  } else if (lower.startsWith('urn:')) return { ok: false, unknown: true };
  const m = SHAPE.exec(rest);
  if (!m) return invalid(`"${text}" is not an attribute path (RFC 7644 §3.5.2).`);
  const attribute = attributeNamed(schema.attributes, m[1] ?? '');
  if (!attribute) return { ok: false, unknown: true };
  const filterText = m[2];
  const filter = filterText === undefined ? undefined : valueTests(attribute, filterText);
  if (filter && 'ok' in filter) return filter;
  if (filter && !attribute.multiValued)
    return invalid(`${attribute.name} holds one value: no filter applies.`);
  const subName = m[3];
  if (subName === undefined)
    return { ok: true, path: { schema, attribute, ...(filter ? { filter } : {}) } };
  const sub = attributeNamed(attribute.subAttributes, subName);
  if (!sub)
    return attribute.type === 'complex'
      ? { ok: false, unknown: true }
      : invalid(`${attribute.name} has no sub-attributes.`);
  return { ok: true, path: { schema, attribute, sub, ...(filter ? { filter } : {}) } };
}
