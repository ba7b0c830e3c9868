import { TENANT_SELECT_HEADER } from '../../../contract/members.js';
import { DEV_USER_HEADER, type DevUser, emailUserOf } from '../sign-in/sign-in.js';

/**
 * The banner's line on who a request that names nobody is signed in as — the very caller the worker's sign-in makes
 * of the session's user (host/hosts.ts): with tenants by membership, `--user alice@example.com` is the user of that
 * verified email in dev's directory, not a user `alice` of a tenant `example.com` (a tenant there is an
 * organization, which the request names or the caller's only one is).
 *
 * @example
 * ```ts
 * signedInLine({ oid: 'alice', tid: 'example.com', name: 'alice' }, true);
 * // 'Signed in as alice (verified email alice@example.com, oid alice@example.com) of directory local-dev, in the …'
 * ```
 */
export function signedInLine(sessionUser: DevUser, emailUsers: boolean | string): string {
  // A customers backend's users sign in from its external tenant (prepare.ts), named here as the worker names it.
  const user =
    emailUsers === false
      ? sessionUser
      : typeof emailUsers === 'string'
        ? emailUserOf(sessionUser, emailUsers)
        : emailUserOf(sessionUser);
  const roles = user.roles?.length ? user.roles.join(', ') : undefined;
  const email = user.email === undefined ? '' : `verified email ${user.email}, `;
  const who = `Signed in as ${user.name} (${email}oid ${user.oid})`;
  const another =
    `another caller per request: ${DEV_USER_HEADER}: ` +
    `${emailUsers === false ? '' : '<email> or '}<user>@<tenant>[;roles=<role>,…] (or: anonymous).`;
  if (emailUsers === false)
    return `${who} of tenant ${user.tid}${roles ? ` with roles ${roles}` : ''}; ${another}`;
  // A tenant is an organization here, and its roles are the membership's (docs/tenants.md): the token's count for
  // nothing, so the line does not offer them as the caller's.
  return (
    `${who} of directory ${user.tid}, in the organization ${TENANT_SELECT_HEADER} names (or their only one) with ` +
    `the membership's roles${roles ? ` (the token's roles ${roles} count for nothing there)` : ''}; ${another}`
  );
}
