import type { HttpResponseInit } from '@azure/functions';
import { directoryIdOf } from '../../../contract/enterprise/directory.js';
import { type Membership, OWNER_ROLE } from '../../../contract/members.js';
import type { TenantRecord } from '../../../contract/tenants.js';
import { recordAudit } from '../../audit/record-audit.js';
import { problemResponse } from '../../http/response.js';
import { admissionRefusal } from '../../tenants/feature-refusal.js';
import type { RegistryCache } from '../../tenants/registry-cache.js';
import { type MembersApi, nowOf } from '../members-api.js';
import { isFull, seatLimitOf, seatMember } from '../seats/seats.js';
import { admits, admittedMembership, barredMeanwhile } from '../life/member-life.js';
import { closedMeanwhile } from '../life/organization-open.js';

/** The caller as the membership stage sees them before admitting: their id, their token's `tid`, their e-mail. */
export interface DirectoryUser {
  readonly userId: string;
  /** The token's own directory (`tid`), whatever organization the request names. */
  readonly tid: string | undefined;
  readonly email?: string;
  /** Their user principal name (caller/principal-name.ts): what SCIM provisions as `userName` from Entra. */
  readonly upn?: string;
}

/**
 * The membership a linked directory gives `user` in the organization their request acts in — `named` (its
 * `X-Atakora-Tenant`), else, when they belong to no organization, the one linked to their directory — created on
 * this, their first request; undefined when no linked directory admits them (no link, another directory's, the
 * organization suspended or gone, directory sign-in off); `refused`, the 402 `feature-not-in-plan`, when the
 * organization's plan lacks `directory` (the link stays, nobody joins by it). The membership's id is the
 * (organization, user) pair, so two first requests at once create one membership: the second create is refused (409)
 * and reads the first's.
 * Never a person the organization barred (model/lives/membership-life.ts: removed by an Owner, deprovisioned by
 * SCIM) nor one its SCIM provisioning holds only as inactive; one it holds as an active user joins through SCIM's
 * link instead (scim/scim-link.ts: that user's roles, `via: 'scim'`). The join is audited `member.joined` (actor the user,
 * via `api`).
 *
 * @example
 * ```ts
 * const m = await joinByDirectory(api, records, { userId: 'u-9', tid: '72f9…' }, 'acme-k3x9qa');
 * m?.roles; // ['Member']
 * ```
 */
export async function joinByDirectory(
  api: MembersApi,
  records: Pick<RegistryCache, 'get'>,
  user: DirectoryUser,
  named: string | undefined,
): Promise<Membership | { readonly refused: HttpResponseInit } | undefined> {
  const tid = directoryIdOf(user.tid);
  const claims = api.directories;
  if (tid === undefined || !claims || !api.membership.directorySignIn) return undefined;
  // The claim decides which organization a directory's users join: a record that names the directory without
  // holding its claim (an imported copy, a record edited by hand) joins nobody.
  const tenant = (await claims.claimOf(tid))?.value;
  if (tenant === undefined || (named !== undefined && named !== tenant)) return undefined;
  const record = await records.get(tenant);
  const linked = record?.directory;
  // The record is the link (the claim only keeps it unique): both must name this directory.
  if (!record || record.status !== 'active' || linked?.tid !== tid) return undefined;
  // Directory sign-in is the plan's `directory` feature: a link kept after a downgrade admits nobody new.
  const closed = admissionRefusal(api.registry, record.plan, 'directory', undefined);
  if (closed) return { refused: closed };
  // Never Owner, whatever a record written by hand says: an organization's Owners are its own to make.
  const roles = linked.role === OWNER_ROLE ? [] : [linked.role];
  if (roles.length === 0) return undefined;
  const { userId, email } = user;
  const addedOn = nowOf(api).toISOString();
  const fresh = admittedMembership({ tenant, userId, email, roles, addedOn }, 'directory');
  // A person an Owner removed (or SCIM deprovisioned, or provisioned inactive) is no longer the directory's to admit.
  const person = { userId: user.userId, email: user.email, directory: tid, upn: user.upn };
  if ((await admits(api, tenant, person, { door: 'directory' })) === 'barred') {
    // A membership made meanwhile (an Owner's invitation) still admits them.
    return (await api.store.read(tenant, user.userId))?.value;
  }
  // SCIM decides for the people it provisions: an active user naming them (their e-mail, object id or user
  // principal name) is linked and admits them through SCIM — one identity, which its deprovisioning reaches.
  const provisioned = await api.linkProvisioned?.({ ...person, directory: tid }, tenant);
  if (provisioned) return provisioned;
  // A seat first (members/seats/seats.ts): a member already is found before it (their membership, whatever the
  // seats); past the plan's members the first request is 402 seat-limit, nobody joined.
  const created = await seatMember(api, fresh);
  if (isFull(created)) return { refused: seatLimitOf(api, tenant, created.full, false) };
  api.cache.forget(tenant, user.userId);
  if (created === 'exists') return (await api.store.read(tenant, user.userId))?.value;
  if (await barredMeanwhile(api, fresh, created.etag, { door: 'directory' }, person))
    return undefined;
  // The record was read through this instance's cache: asked again, fresh, after the write (a deletion stands).
  if (await closedMeanwhile(api, fresh, created.etag)) return undefined;
  await recordAudit(api, {
    tenant,
    actor: {
      id: user.userId,
      ...(user.email !== undefined ? { email: user.email } : {}),
      via: 'api',
    },
    action: 'member.joined',
    target: user.userId,
    changes: { roles: { to: roles }, directory: tid, via: fresh.via },
  });
  return created.value;
}

/**
 * 403 `directory-required` when `record` requires its linked directory and the caller's token comes from another —
 * every member, Owners included, except an Owner on `api/tenant/directory` itself (`directoryRoute`), so an
 * organization whose directory is gone or misconfigured can always be unlinked by an Owner; undefined otherwise.
 *
 * @example
 * ```ts
 * const refused = directoryRequired(record, caller.directory, membership.roles, false);
 * if (refused) return { ok: false, response: refused };
 * ```
 */
export function directoryRequired(
  record: TenantRecord,
  tid: string | undefined,
  roles: readonly string[],
  directoryRoute: boolean,
): HttpResponseInit | undefined {
  const linked = record.directory;
  if (!linked?.requireDirectory || directoryIdOf(tid) === linked.tid) return undefined;
  if (directoryRoute && roles.includes(OWNER_ROLE)) return undefined;
  return problemResponse(
    'directory-required',
    `Organization ${record.id} admits only members signed in from its directory (tenant ${linked.tid}); your ` +
      `token comes from ${tid === undefined ? 'no directory' : `tenant ${tid}`}. Sign in again with your account ` +
      'of that directory.',
  );
}
