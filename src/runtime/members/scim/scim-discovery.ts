import { MAX_SCIM_PAGE, SCIM_SCHEMAS } from '../../../contract/scim/scim.js';

const attribute = (
  name: string,
  type: 'string' | 'boolean' | 'complex',
  more: Record<string, unknown> = {},
) => ({
  name,
  type,
  multiValued: false,
  required: false,
  caseExact: false,
  mutability: 'readWrite',
  returned: 'default',
  uniqueness: 'none',
  ...more,
});

/**
 * `GET ServiceProviderConfig` (RFC 7643 §5): PATCH and filtering supported, no bulk, sort, ETags or password
 * change; bearer tokens the one scheme.
 *
 * @example
 * ```ts
 * SERVICE_PROVIDER_CONFIG.patch.supported; // true
 * ```
 */
export const SERVICE_PROVIDER_CONFIG = Object.freeze({
  schemas: [SCIM_SCHEMAS.serviceProviderConfig],
  documentationUri: 'https://github.com/atakora/atakora-backend/blob/main/docs/enterprise.md',
  patch: { supported: true },
  bulk: { supported: false, maxOperations: 0, maxPayloadSize: 0 },
  filter: { supported: true, maxResults: MAX_SCIM_PAGE },
  changePassword: { supported: false },
  sort: { supported: false },
  etag: { supported: false },
  authenticationSchemes: [
    {
      type: 'oauthbearertoken',
      name: 'SCIM token',
      description:
        "An organization's SCIM token (POST api/tenant/scim-tokens), sent as a bearer token.",
      primary: true,
    },
  ],
  meta: { resourceType: 'ServiceProviderConfig' },
});

const USER_SCHEMA = {
  schemas: [SCIM_SCHEMAS.schema],
  id: SCIM_SCHEMAS.user,
  name: 'User',
  description: 'A provisioned user: a member of the organization once they sign in.',
  attributes: [
    attribute('userName', 'string', { required: true, uniqueness: 'server' }),
    attribute('externalId', 'string', { caseExact: true }),
    attribute('active', 'boolean'),
    attribute('displayName', 'string'),
    attribute('name', 'complex', {
      subAttributes: ['givenName', 'familyName', 'formatted'].map((n) => attribute(n, 'string')),
    }),
    attribute('emails', 'complex', {
      multiValued: true,
      subAttributes: [
        attribute('value', 'string'),
        attribute('type', 'string'),
        attribute('primary', 'boolean'),
      ],
    }),
  ],
  meta: { resourceType: 'Schema' },
};

const GROUP_SCHEMA = {
  schemas: [SCIM_SCHEMAS.schema],
  id: SCIM_SCHEMAS.group,
  name: 'Group',
  description: 'A group: one named as a declared role grants it to its members.',
  attributes: [
    attribute('displayName', 'string', { required: true, uniqueness: 'server' }),
    attribute('externalId', 'string', { caseExact: true }),
    attribute('members', 'complex', {
      multiValued: true,
      subAttributes: [attribute('value', 'string', { mutability: 'immutable' })],
    }),
  ],
  meta: { resourceType: 'Schema' },
};

const list = (resources: readonly unknown[]) => ({
  schemas: [SCIM_SCHEMAS.listResponse],
  totalResults: resources.length,
  startIndex: 1,
  itemsPerPage: resources.length,
  Resources: resources,
});

/**
 * `GET Schemas` (RFC 7643 §7): the User and Group schemas as this service keeps them.
 *
 * @example
 * ```ts
 * SCHEMAS.Resources.length; // 2
 * ```
 */
export const SCHEMAS = Object.freeze(list([USER_SCHEMA, GROUP_SCHEMA]));

/**
 * `GET ResourceTypes` (RFC 7643 §6): Users and Groups, below the SCIM base.
 *
 * @example
 * ```ts
 * RESOURCE_TYPES.Resources[0].endpoint; // '/Users'
 * ```
 */
export const RESOURCE_TYPES = Object.freeze(
  list([
    {
      schemas: [SCIM_SCHEMAS.resourceType],
      id: 'User',
      name: 'User',
      endpoint: '/Users',
      schema: SCIM_SCHEMAS.user,
      meta: { resourceType: 'ResourceType' },
    },
    {
      schemas: [SCIM_SCHEMAS.resourceType],
      id: 'Group',
      name: 'Group',
      endpoint: '/Groups',
      schema: SCIM_SCHEMAS.group,
      meta: { resourceType: 'ResourceType' },
    },
  ]),
);
