import type { HttpRequest, HttpResponseInit } from '@azure/functions';
import {
  DEFAULT_DIRECTORY_ROLE,
  DIRECTORY_READER_ROLES,
  directoryIdOf,
  type OrganizationDirectory,
} from '../../../contract/enterprise/directory.js';
import { OWNER_ROLE } from '../../../contract/members.js';
import { DIRECTORY_CONSENT_ROLES, mayLinkDirectory } from '../../../model/entra-claims.js';
import type { TenantRecord } from '../../../contract/tenants.js';
import { readJsonObject } from '../../http/body.js';
import {
  emptyResponse,
  type FieldError,
  jsonResponse,
  problemResponse,
} from '../../http/response.js';
import type { DomainClaims } from '../domains/domain-claim-store.js';
import {
  type Actor,
  type MembersApi,
  nowOf,
  orUnavailable,
  recordMemberAudit,
} from '../members-api.js';

/** The members API with directory sign-in on: what the directory routes need. */
export type DirectoryApi = MembersApi & { readonly directories: DomainClaims };

/** Writes retried when someone else changed the record between our read and our write. */
const MAX_WRITE_ATTEMPTS = 3;

const accessDenied = (tenant: string, what: string, roles: readonly string[]) =>
  problemResponse('access-denied', `Only an ${roles.join(' or ')} of ${tenant} ${what}.`, {
    rules: [`roles: [${roles.map((r) => `'${r}'`).join(', ')}]`],
  });

const gone = (tenant: string) => problemResponse('not-found', `Organization ${tenant} is gone.`);

const taken = (detail: string) => problemResponse('directory-taken', detail);

/** The link a PUT body asks for, or the 400 naming what is wrong. */
async function linkOfBody(
  api: MembersApi,
  request: HttpRequest,
): Promise<{ ok: true; link: OrganizationDirectory } | { ok: false; response: HttpResponseInit }> {
  const body = await readJsonObject(request);
  if (!body.ok) return body;
  const { tid, role = DEFAULT_DIRECTORY_ROLE, requireDirectory = false, ...rest } = body.value;
  const errors: FieldError[] = Object.keys(rest).map((k) => ({
    field: k,
    code: 'unknown',
    message: `${k} is not a field of a directory link (tid, role, requireDirectory).`,
  }));
  const id = directoryIdOf(tid);
  if (id === undefined)
    errors.push({
      field: 'tid',
      code: 'required',
      message: "tid is required: your directory's tenant id (your token's tid claim).",
    });
  if (typeof role !== 'string' || !api.membership.roles.includes(role))
    errors.push({
      field: 'role',
      code: 'enum',
      message: `role is one of ${api.membership.roles.join(', ')} (never ${OWNER_ROLE}: an organization's Owners are its own to make).`,
    });
  if (typeof requireDirectory !== 'boolean')
    errors.push({
      field: 'requireDirectory',
      code: 'type',
      message: 'requireDirectory is true or false.',
    });
  if (errors.length > 0 || id === undefined || typeof role !== 'string')
    return {
      ok: false,
      response: problemResponse('validation', 'The directory link is not valid.', { errors }),
    };
  return { ok: true, link: { tid: id, role, requireDirectory: requireDirectory === true } };
}

/**
 * `next(record)` written over the stored record at the version read, read again and retried when another writer
 * changed it meanwhile; this instance's cached copy forgotten. `next` answers a response to stop (a refusal).
 */
async function rewrite(
  api: MembersApi,
  tenant: string,
  next: (record: TenantRecord) => Promise<TenantRecord | HttpResponseInit>,
): Promise<{ before: TenantRecord; after: TenantRecord } | HttpResponseInit> {
  for (let attempt = 1; ; attempt++) {
    const read = await api.admin.read(tenant);
    if (!read) return gone(tenant);
    const changed = await next(read.record);
    if (!('id' in changed)) return changed;
    const stored = await api.admin.replace(changed, read.etag);
    if (stored === 'missing') return gone(tenant);
    if (stored !== 'changed') {
      api.forgetRecord?.(tenant);
      return { before: read.record, after: stored.record };
    }
    if (attempt >= MAX_WRITE_ATTEMPTS)
      return problemResponse('conflict', `Organization ${tenant} changed meanwhile: retry.`);
  }
}

/**
 * `PUT api/tenant/directory { tid, role?, requireDirectory? }` by an Owner signed in from directory `tid` (their
 * token's own; 403 `directory-not-yours` otherwise) as one of its administrators who can consent for it (a
 * {@link DIRECTORY_CONSENT_ROLES} role template id in the token's `wids`; 403 `directory-admin-required`
 * otherwise — Entra's admin-consent redirect is no proof: docs/enterprise.md says why): the organization's linked
 * directory, its users
 * joining as `role` (default `Member`, one of the declared roles: never `Owner`). One organization per directory and
 * one directory per organization (409 `directory-taken`): the directory is claimed globally before the record names
 * it, so two organizations linking it at once cannot both win. 200 with the link; audited `directory.linked` or
 * `directory.updated`.
 *
 * @example
 * ```ts
 * // PUT /api/tenant/directory { "tid": "72f988bf-…", "requireDirectory": true } → 200 { "tid": …, "role": "Member", … }
 * ```
 */
export async function linkDirectory(
  api: DirectoryApi,
  actor: Actor,
  tenant: string,
  request: HttpRequest,
  token: { readonly tid: string | undefined; readonly wids: readonly string[] },
): Promise<HttpResponseInit> {
  if (!actor.roles.includes(OWNER_ROLE))
    return accessDenied(tenant, 'links a directory', [OWNER_ROLE]);
  const asked = await linkOfBody(api, request);
  if (!asked.ok) return asked.response;
  const link = asked.link;
  const tokenTid = token.tid;
  if (link.tid !== directoryIdOf(tokenTid))
    return problemResponse(
      'directory-not-yours',
      `You are signed in from ${tokenTid ? `tenant ${tokenTid}` : 'no directory'}, not from tenant ${link.tid}: ` +
        'an Owner links only the directory of their own sign-in.',
    );
  // Authority in the directory: a link routes its users' first requests here, so only one who may consent for it
  // — a directory role in the token's `wids` — makes it (an ordinary user of the directory would squat it).
  if (!mayLinkDirectory(token.wids))
    return problemResponse(
      'directory-admin-required',
      `Linking directory ${link.tid} needs one of its administrators: your token carries no directory role that ` +
        `can consent for it (${Object.keys(DIRECTORY_CONSENT_ROLES).join(', ')}). Ask one of them to sign in and ` +
        'link it; nothing changed.',
    );
  return orUnavailable(async () => {
    let claimed = false;
    const done = await rewrite(api, tenant, async (record) => {
      const current = record.directory;
      if (current && current.tid !== link.tid)
        return taken(
          `${tenant} links directory ${current.tid}: unlink it first (DELETE api/tenant/directory).`,
        );
      if (!current && !claimed) {
        const claim = await api.directories.claim(link.tid, tenant);
        if (claim !== 'claimed' && claim.value !== tenant)
          return taken(`Another organization has linked directory ${link.tid}.`);
        claimed = true;
      }
      return { ...record, directory: link, updatedOn: nowOf(api).toISOString() };
    });
    if (!('after' in done)) {
      // A claim this request made for a link it could not write is given back.
      if (claimed) await api.directories.release(link.tid, tenant);
      return done;
    }
    const before = done.before.directory;
    await recordMemberAudit(
      api,
      actor,
      tenant,
      before ? 'directory.updated' : 'directory.linked',
      link.tid,
      before
        ? {
            role: { from: before.role, to: link.role },
            requireDirectory: { from: before.requireDirectory, to: link.requireDirectory },
          }
        : { role: link.role, requireDirectory: link.requireDirectory },
    );
    return jsonResponse(200, link);
  });
}

/**
 * `GET api/tenant/directory` by an Owner or Admin: 200 with the link, 404 when none is linked.
 *
 * @example
 * ```ts
 * // GET /api/tenant/directory → 200 { "tid": "72f988bf-…", "role": "Member", "requireDirectory": false }
 * ```
 */
export function readDirectory(
  api: MembersApi,
  actor: Actor,
  tenant: string,
): Promise<HttpResponseInit> {
  if (!actor.roles.some((r) => DIRECTORY_READER_ROLES.includes(r)))
    return Promise.resolve(
      accessDenied(tenant, 'reads its directory', [...DIRECTORY_READER_ROLES]),
    );
  return orUnavailable(async () => {
    const read = await api.admin.read(tenant);
    if (!read) return gone(tenant);
    const linked = read.record.directory;
    return linked
      ? jsonResponse(200, linked)
      : problemResponse(
          'not-found',
          `${tenant} links no directory (PUT api/tenant/directory links one).`,
        );
  });
}

/**
 * `DELETE api/tenant/directory` by an Owner: the link removed and the directory's claim given back — its users no
 * longer join, `requireDirectory` no longer refuses anyone; the members who joined through it stay (remove them as
 * any member). 204, also when none was linked; audited `directory.unlinked`.
 *
 * @example
 * ```ts
 * // DELETE /api/tenant/directory → 204
 * ```
 */
export function unlinkDirectory(
  api: DirectoryApi,
  actor: Actor,
  tenant: string,
): Promise<HttpResponseInit> {
  if (!actor.roles.includes(OWNER_ROLE))
    return Promise.resolve(accessDenied(tenant, 'unlinks its directory', [OWNER_ROLE]));
  return orUnavailable(async () => {
    const done = await rewrite(api, tenant, (record) => {
      const { directory, ...rest } = record;
      // Nothing linked: nothing written (a DELETE twice is a DELETE once).
      if (!directory) return Promise.resolve(emptyResponse(204));
      return Promise.resolve({ ...rest, updatedOn: nowOf(api).toISOString() });
    });
    if (!('after' in done)) return done;
    const before = done.before.directory;
    if (!before) return emptyResponse(204);
    await api.directories.release(before.tid, tenant);
    await recordMemberAudit(api, actor, tenant, 'directory.unlinked', before.tid, {
      role: before.role,
      requireDirectory: before.requireDirectory,
    });
    return emptyResponse(204);
  });
}
