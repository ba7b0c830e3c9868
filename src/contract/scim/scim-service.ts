// What this SCIM service is (RFC 7643 §5, §6), written once: the runtime serves these (`ServiceProviderConfig`,
// `ResourceTypes`, `ResourceTypes/{id}`, each with `meta.location` of the request's host added), the OpenAPI
// document describes them and the docs quote them.
import { MAX_SCIM_PAGE, SCIM_SCHEMAS } from './scim.js';

/** A resource type as `GET ResourceTypes/{id}` answers it (without `meta.location`). */
export interface ScimResourceTypeDefinition {
  readonly schemas: readonly string[];
  readonly id: 'User' | 'Group';
  readonly name: 'User' | 'Group';
  readonly description: string;
  readonly endpoint: '/Users' | '/Groups';
  readonly schema: string;
  readonly schemaExtensions: readonly { readonly schema: string; readonly required: boolean }[];
  readonly meta: { readonly resourceType: 'ResourceType' };
}

/**
 * The resource types (RFC 7643 §6): Users (with the enterprise extension) and Groups.
 *
 * @example
 * ```ts
 * SCIM_RESOURCE_TYPES.map((t) => t.endpoint); // ['/Users', '/Groups']
 * ```
 */
export const SCIM_RESOURCE_TYPES: readonly ScimResourceTypeDefinition[] = [
  {
    schemas: [SCIM_SCHEMAS.resourceType],
    id: 'User',
    name: 'User',
    description: 'A provisioned user: a member of the organization once they sign in.',
    endpoint: '/Users',
    schema: SCIM_SCHEMAS.user,
    schemaExtensions: [{ schema: SCIM_SCHEMAS.enterpriseUser, required: false }],
    meta: { resourceType: 'ResourceType' },
  },
  {
    schemas: [SCIM_SCHEMAS.resourceType],
    id: 'Group',
    name: 'Group',
    description: 'A group: one named as a declared role grants it to its members.',
    endpoint: '/Groups',
    schema: SCIM_SCHEMAS.group,
    schemaExtensions: [],
    meta: { resourceType: 'ResourceType' },
  },
];

/**
 * `GET ServiceProviderConfig` (RFC 7643 §5): PATCH and filtering supported (`eq` on `userName`, `externalId`,
 * `displayName`, `id`), no bulk, sort, ETags or password change; an organization's SCIM token the one scheme.
 *
 * @example
 * ```ts
 * SCIM_SERVICE_PROVIDER_CONFIG.patch.supported; // true
 * ```
 */
export const SCIM_SERVICE_PROVIDER_CONFIG = {
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
} as const;
