import { MAX_GROUP_MEMBERS, MAX_SCIM_PAGE, SCIM_SCHEMAS } from '../scim/scim.js';
import {
  ENTERPRISE_USER_SCHEMA,
  GROUP_SCHEMA,
  type ScimAttributeDefinition,
  type ScimSchemaDefinition,
  USER_SCHEMA,
} from '../scim/scim-schemas.js';
import { type Json } from './openapi-refs.js';

const ref = (name: string): Json => ({ $ref: `#/components/schemas/${name}` });
const str: Json = { type: 'string' };
const TIME = { type: 'string', format: 'date-time' };
/** A `schemas` array naming `urn` (RFC 7643 §3: every resource and message names its schemas). */
const urns = (urn: string): Json => ({
  type: 'array',
  items: { type: 'string' },
  contains: { const: urn },
});
const meta = (resourceType: string): Json => ({
  type: 'object',
  required: ['resourceType'],
  properties: {
    resourceType: { const: resourceType },
    created: TIME,
    lastModified: TIME,
    location: { type: 'string', format: 'uri' },
  },
});
/** An object Entra may send more of than this service keeps (the enterprise extension, `roles`, `meta`, …). */
const open = (required: string[], properties: Json): Json => ({
  type: 'object',
  required,
  properties,
  additionalProperties: true,
});
const listOf = (resource: string): Json => ({
  type: 'object',
  required: ['schemas', 'totalResults', 'startIndex', 'itemsPerPage', 'Resources'],
  properties: {
    schemas: urns(SCIM_SCHEMAS.listResponse),
    totalResults: { type: 'integer', minimum: 0 },
    startIndex: { type: 'integer', minimum: 1, description: '1-based (RFC 7644 §3.4.2.4).' },
    itemsPerPage: { type: 'integer', minimum: 0, maximum: MAX_SCIM_PAGE },
    Resources: { type: 'array', items: ref(resource) },
  },
});

/**
 * The JSON Schema of an attribute (contract/scim/scim-schemas.ts, the one definition the runtime keeps): an answer's
 * as stored, a request's as Entra also sends it (`input`: booleans as `"True"`/`"False"`, a manager as its id, more
 * sub-attributes than kept).
 */
function attributeSchema(def: ScimAttributeDefinition, input: boolean): Json {
  const one: Json =
    def.type === 'boolean'
      ? { type: input ? ['boolean', 'string'] : 'boolean' }
      : def.type === 'complex'
        ? {
            type: input ? ['object', 'string'] : 'object',
            properties: Object.fromEntries(
              (def.subAttributes ?? []).map((s) => [s.name, attributeSchema(s, input)]),
            ),
            ...(input ? {} : { additionalProperties: false }),
          }
        : { type: 'string' };
  return {
    description: def.description,
    ...(def.multiValued ? { type: 'array', items: one } : one),
  };
}

/** The properties of a resource of `core` with `extensions` (each under its URN). */
const properties = (
  core: ScimSchemaDefinition,
  extensions: readonly ScimSchemaDefinition[],
  input: boolean,
): Json => ({
  ...Object.fromEntries(core.attributes.map((a) => [a.name, attributeSchema(a, input)])),
  ...Object.fromEntries(
    extensions.map((e) => [
      e.id,
      {
        type: 'object',
        description: e.description,
        properties: Object.fromEntries(
          e.attributes.map((a) => [a.name, attributeSchema(a, input)]),
        ),
        ...(input ? {} : { additionalProperties: false }),
      },
    ]),
  ),
});

/** A resource as answered: `schemas` and `id` always; the rest as `attributes`/`excludedAttributes` leave it. */
const answered = (
  description: string,
  core: ScimSchemaDefinition,
  extensions: readonly ScimSchemaDefinition[],
): Json => ({
  type: 'object',
  description: `${description} \`schemas\` and \`id\` always; the others unless \`attributes\` or \`excludedAttributes\` leave them out.`,
  required: ['schemas', 'id'],
  properties: {
    schemas: urns(core.id),
    id: str,
    ...properties(core, extensions, false),
    meta: meta(core.name),
  },
});

const MEMBERS = GROUP_SCHEMA.attributes.find(
  (a) => a.name === 'members',
) as ScimAttributeDefinition;

/** The discovery answers' resources: shapes RFC 7643 §5–§7 define, kept open beyond what this service names. */
const DISCOVERY_RESOURCE: Json = open(['schemas', 'id'], {
  schemas: { type: 'array', items: str },
  id: str,
  name: str,
});

export { SCIM_SUPPORT_SCHEMAS } from './openapi-scim-support.js';

/**
 * The JSON Schemas of the SCIM routes' resources, derived from the SCIM schemas the runtime keeps and serves
 * (contract/scim/scim-schemas.ts): a User (the enterprise extension under its URN) and a Group as answered and as
 * Microsoft Entra's provisioning service and Okta send them (Learn, "Tutorial: Develop and plan provisioning for a
 * SCIM endpoint"; "Known issues and resolutions with SCIM 2.0 protocol compliance": booleans as strings).
 *
 * @example
 * ```ts
 * for (const [name, schema] of Object.entries(SCIM_OPENAPI_SCHEMAS)) schemas.set(name, schema);
 * ```
 */
export const SCIM_OPENAPI_SCHEMAS: Readonly<Record<string, Json>> = {
  ScimUser: answered(
    'A provisioned user (RFC 7643 §4.1): never the member it is linked to.',
    USER_SCHEMA,
    [ENTERPRISE_USER_SCHEMA],
  ),
  ScimUserInput: open(['userName'], {
    schemas: { type: 'array', items: str },
    ...properties(USER_SCHEMA, [ENTERPRISE_USER_SCHEMA], true),
  }),
  ScimUserList: listOf('ScimUser'),
  ScimGroup: answered(
    'A group (RFC 7643 §4.2): one whose displayName is a declared role grants it to its linked members.',
    GROUP_SCHEMA,
    [],
  ),
  ScimGroupInput: open(['displayName'], {
    schemas: { type: 'array', items: str },
    ...properties(GROUP_SCHEMA, [], true),
    members: {
      ...attributeSchema(MEMBERS, true),
      description: `The members, at most ${String(MAX_GROUP_MEMBERS)} (more: 400 \`invalidValue\`).`,
    },
  }),
  ScimGroupList: listOf('ScimGroup'),
  ScimDiscoveryResource: DISCOVERY_RESOURCE,
  ScimDiscoveryList: listOf('ScimDiscoveryResource'),
};
