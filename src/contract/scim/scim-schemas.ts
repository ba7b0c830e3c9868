// The SCIM schemas this service keeps (RFC 7643 §7), written once: the runtime serves them (`Schemas`,
// `Schemas/{id}`), checks every body and PATCH against them and shows resources by them; the OpenAPI document
// derives its User and Group shapes from them. The User schema holds what Microsoft Entra's default attribute mapping
// and Okta send (Learn, "Tutorial: Develop and plan provisioning for a SCIM endpoint": its user and group attribute
// tables; Okta, "SCIM 2.0 protocol reference": Create and Update User), nothing else: an attribute outside these is
// accepted and not kept (RFC 7644 §3.3). Imports only its sibling, so the client's bundle may share it.
import { SCIM_SCHEMAS } from './scim.js';

/** One attribute's definition as RFC 7643 §7 writes it (the characteristics of §2.2, `camelCase` values). */
export interface ScimAttributeDefinition {
  readonly name: string;
  readonly type: 'string' | 'boolean' | 'complex';
  readonly multiValued: boolean;
  readonly description: string;
  readonly required: boolean;
  readonly caseExact: boolean;
  readonly mutability: 'readOnly' | 'readWrite' | 'immutable' | 'writeOnly';
  readonly returned: 'always' | 'never' | 'default' | 'request';
  readonly uniqueness: 'none' | 'server' | 'global';
  readonly subAttributes?: readonly ScimAttributeDefinition[];
}

/** A schema as `GET Schemas/{id}` answers it (without `meta.location`, which names the request's host). */
export interface ScimSchemaDefinition {
  readonly schemas: readonly string[];
  readonly id: string;
  readonly name: string;
  readonly description: string;
  readonly attributes: readonly ScimAttributeDefinition[];
  readonly meta: { readonly resourceType: 'Schema' };
}

type More = Partial<Omit<ScimAttributeDefinition, 'name' | 'description'>>;

const attribute = (
  name: string,
  description: string,
  more: More = {},
): ScimAttributeDefinition => ({
  name,
  type: 'string',
  multiValued: false,
  description,
  required: false,
  caseExact: false,
  mutability: 'readWrite',
  returned: 'default',
  uniqueness: 'none',
  ...more,
});
const complex = (
  name: string,
  description: string,
  subAttributes: readonly ScimAttributeDefinition[],
  more: More = {},
) => attribute(name, description, { type: 'complex', subAttributes, ...more });
/** A multi-valued attribute of typed values (`emails`, `phoneNumbers`, `addresses`: RFC 7643 §2.4, §4.1.2). */
const typed = (name: string, description: string, values: readonly ScimAttributeDefinition[]) =>
  complex(
    name,
    description,
    [
      ...values,
      attribute('type', 'A label for the value\'s function: "work", "home", "other", …'),
      attribute('primary', 'Whether this is the preferred value: true on one value at most.', {
        type: 'boolean',
      }),
    ],
    { multiValued: true },
  );

const schema = (
  id: string,
  name: string,
  description: string,
  attributes: readonly ScimAttributeDefinition[],
): ScimSchemaDefinition => ({
  schemas: [SCIM_SCHEMAS.schema],
  id,
  name,
  description,
  attributes,
  meta: { resourceType: 'Schema' },
});

const EXTERNAL_ID = attribute(
  'externalId',
  "The provisioning client's identifier (Entra's default mapping: a user's mailNickname, a group's objectId).",
  { caseExact: true },
);

/**
 * The User schema (RFC 7643 §4.1) as this service keeps it.
 *
 * @example
 * ```ts
 * USER_SCHEMA.attributes.map((a) => a.name); // ['userName', 'name', 'displayName', …]
 * ```
 */
export const USER_SCHEMA: ScimSchemaDefinition = schema(
  SCIM_SCHEMAS.user,
  'User',
  'A provisioned user: a member of the organization once they sign in.',
  [
    attribute(
      'userName',
      'Unique in the organization, without regard to case (Entra: userPrincipalName).',
      {
        required: true,
        uniqueness: 'server',
      },
    ),
    complex(
      'name',
      "The user's name.",
      [
        'formatted',
        'familyName',
        'givenName',
        'middleName',
        'honorificPrefix',
        'honorificSuffix',
      ].map((n) => attribute(n, `The ${n} part of the name.`)),
    ),
    attribute('displayName', 'The name shown for the user.'),
    attribute('nickName', 'The casual name of the user.'),
    attribute('title', "The user's title (Entra: jobTitle)."),
    attribute('userType', 'The relationship to the organization, e.g. "Employee".'),
    attribute('preferredLanguage', 'The preferred language, e.g. "en-US".'),
    attribute('locale', 'The locale, e.g. "en-US".'),
    attribute('timezone', 'The time zone, e.g. "Europe/Berlin".'),
    attribute('active', 'false: the membership ends at once (Entra: Not([IsSoftDeleted])).', {
      type: 'boolean',
    }),
    typed('emails', "The user's e-mail addresses.", [
      attribute('value', 'The address.'),
      attribute('display', 'The address as shown.'),
    ]),
    typed('phoneNumbers', "The user's phone numbers.", [
      attribute('value', 'The number.'),
      attribute('display', 'The number as shown.'),
    ]),
    typed(
      'addresses',
      "The user's postal addresses.",
      ['formatted', 'streetAddress', 'locality', 'region', 'postalCode', 'country'].map((n) =>
        attribute(n, `The ${n} of the address.`),
      ),
    ),
    EXTERNAL_ID,
  ],
);

/**
 * The enterprise User extension (RFC 7643 §4.3) as this service keeps it: Entra maps employeeId, department and
 * manager to it by default.
 *
 * @example
 * ```ts
 * ENTERPRISE_USER_SCHEMA.id; // 'urn:ietf:params:scim:schemas:extension:enterprise:2.0:User'
 * ```
 */
export const ENTERPRISE_USER_SCHEMA: ScimSchemaDefinition = schema(
  SCIM_SCHEMAS.enterpriseUser,
  'EnterpriseUser',
  'Enterprise attributes of a user.',
  [
    ...['employeeNumber', 'costCenter', 'organization', 'division', 'department'].map((n) =>
      attribute(n, `The user's ${n}.`),
    ),
    complex('manager', "The user's manager.", [
      attribute('value', "The manager's SCIM id (Entra: the manager's provisioned user)."),
    ]),
  ],
);

/**
 * The Group schema (RFC 7643 §4.2): a group whose `displayName` is a declared role grants it to its members.
 *
 * @example
 * ```ts
 * GROUP_SCHEMA.attributes.find((a) => a.name === 'members')?.multiValued; // true
 * ```
 */
export const GROUP_SCHEMA: ScimSchemaDefinition = schema(
  SCIM_SCHEMAS.group,
  'Group',
  'A group: one named as a declared role grants it to its members.',
  [
    attribute('displayName', "The group's name: a declared role's name grants that role.", {
      required: true,
    }),
    complex(
      'members',
      'The members: provisioned users by their SCIM id (at most 1,000).',
      [attribute('value', "The member's SCIM id.", { mutability: 'immutable' })],
      { multiValued: true },
    ),
    EXTERNAL_ID,
  ],
);

/**
 * Every schema `GET Schemas` lists, in that order.
 *
 * @example
 * ```ts
 * SCIM_RESOURCE_SCHEMAS.map((s) => s.name); // ['User', 'EnterpriseUser', 'Group']
 * ```
 */
export const SCIM_RESOURCE_SCHEMAS: readonly ScimSchemaDefinition[] = [
  USER_SCHEMA,
  ENTERPRISE_USER_SCHEMA,
  GROUP_SCHEMA,
];
