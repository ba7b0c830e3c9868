import type { NormalizedConfig } from '../../../model/config.js';
import { AtakoraError } from '../../../model/errors.js';
import type { DevUser } from '../sign-in/sign-in.js';

/**
 * Refuse, before anything starts or is seeded, a session user the backend would answer 403 `tenant-not-allowed`
 * on every request: signed in (`auth` on) with a tenant its `auth.allowedTenants` list does not admit — the
 * runtime compares tenant ids case-insensitively (runtime/access/tenant-admission.ts), and so does this.
 *
 * @example
 * ```ts
 * refuseUnadmittedUser({ oid: 'alice', tid: 'contoso', name: 'alice' }, config); // throws DEV_USER_TENANT_NOT_ALLOWED
 * ```
 */
export function refuseUnadmittedUser(user: DevUser, config: NormalizedConfig): void {
  const allowed = config.auth.allowedTenants;
  // With the registry the directories admitted are data, read by the runtime per request: nothing to check here.
  if (!config.auth.enabled || allowed === undefined || allowed === 'any' || allowed === 'registry')
    return;
  const tid = user.tid.toLowerCase();
  if (allowed.some((t) => t.toLowerCase() === tid)) return;
  const first = allowed[0];
  throw new AtakoraError(
    'DEV_USER_TENANT_NOT_ALLOWED',
    `The dev user ${user.oid}@${user.tid} signs in with tenant ${user.tid}, which auth.allowedTenants does not ` +
      `admit (${allowed.length === 0 ? 'it lists none' : `it lists ${allowed.join(', ')}`}): every request ` +
      `would be answered 403 tenant-not-allowed.`,
    {
      path: ['dev', '--user'],
      resolution:
        first === undefined
          ? 'auth.allowedTenants lists no tenant: add the tenant ids of the directories you serve to it.'
          : `Sign in as a user of an admitted tenant: atakora dev <entry> --user ${user.oid}@${first} (or ` +
            `--tenant ${first}); or add ${user.tid} to auth.allowedTenants if that directory is a customer.`,
    },
  );
}
