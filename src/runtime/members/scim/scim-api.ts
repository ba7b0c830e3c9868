import type { AuditAction } from '../../../contract/audit.js';
import { type MembersApi, recordMemberAudit } from '../members-api.js';

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

/**
 * SCIM as the audit log's actor where no token is known (a first sign-in of a user no token provisioned): `scim`,
 * the `scim` door — an actor's door (`AuditVia`), never a membership's.
 *
 * @example
 * ```ts
 * auditActor(SCIM_ACTOR); // { id: 'scim', via: 'scim' }
 * ```
 */
export const SCIM_ACTOR = { userId: 'scim', via: 'scim' } as const;

/**
 * One entry of the audit log for what a SCIM token did in its organization (the token, {@link scimActor}, as the
 * actor): the one writer of the `scim.*` entries of users and groups.
 *
 * @example
 * ```ts
 * await recordScimAudit(api, call, 'scim.user-deleted', id, { userName: { from: 'kim@contoso.com' } });
 * ```
 */
export const recordScimAudit = (
  api: ScimApi,
  call: { readonly tenant: string; readonly token: { readonly id: string } },
  action: AuditAction,
  target: string,
  changes: Record<string, unknown>,
) => recordMemberAudit(api, scimActor(call.token.id), call.tenant, action, target, changes);
