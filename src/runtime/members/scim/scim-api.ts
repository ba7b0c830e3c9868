import type { MembersApi } from '../members-api.js';

/**
 * The members API with SCIM provisioning's store: what the token and SCIM routes need.
 *
 * @example
 * ```ts
 * const withScim = (api: MembersApi): api is ScimApi => api.scim !== undefined;
 * ```
 */
export type ScimApi = MembersApi & Required<Pick<MembersApi, 'scim'>>;

/**
 * Who acts through a SCIM token, as the membership operations and the audit log name it: `scim:<token id>`, an
 * Owner's rights in its one organization (it creates, deactivates and deletes memberships there, the last Owner
 * kept), the `scim` door.
 *
 * @example
 * ```ts
 * scimActor('k3x9qa7b'); // { userId: 'scim:k3x9qa7b', roles: ['Owner'], via: 'scim' }
 * ```
 */
export const scimActor = (tokenId: string) =>
  ({ userId: `scim:${tokenId}`, roles: ['Owner'], via: 'scim' }) as const;
