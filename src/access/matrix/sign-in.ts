import type { RuntimeAuth } from '../../model/runtime-manifest.js';
import type { Principal } from '../model/backend.js';
import type { MatrixPrincipal } from './types.js';

/**
 * The directories a matrix speaks of. `multi`: an allow-list of directories (`allowedTenants`) — `home` is the
 * backend's own, `other` an admitted customer's, `stranger` one never admitted; otherwise only `home` signs in
 * (a single-tenant registration accepts its own directory's tokens only).
 *
 * @example
 * ```ts
 * const signIn: MatrixSignIn = { required: true, multi: true, home: 'contoso', other: 'fabrikam', stranger: 'x' };
 * ```
 */
export interface MatrixSignIn {
  /** Authentication on (the default): anonymous callers get 401. */
  readonly required: boolean;
  readonly multi: boolean;
  readonly home: string;
  readonly other?: string;
  readonly stranger?: string;
}

/** The directory ids the proof signs in with when the config names none (dev's sign-in accepts any). */
export const VERIFY_TENANTS = {
  home: 'verify-home',
  other: 'verify-other',
  stranger: 'verify-stranger',
} as const;

/**
 * The sign-in of a runtime auth policy: the home directory as given (dev: the config's `auth.tenantId`, else the
 * proof's), another admitted directory from the allow-list, a stranger that is on no list.
 *
 * @example
 * ```ts
 * signInOf({ required: true, tenantClaim: 'tid', trustTenantHeader: false, allowedTenants: 'any' }, 'contoso');
 * ```
 */
export function signInOf(
  auth: RuntimeAuth | undefined,
  home: string = VERIFY_TENANTS.home,
): MatrixSignIn {
  const required = auth?.required ?? true;
  const list = auth?.allowedTenants;
  if (list === undefined) return { required, multi: false, home };
  const other =
    list === 'any' ? VERIFY_TENANTS.other : list.find((t) => t !== home && t !== 'registry');
  return {
    required,
    multi: true,
    home,
    ...(other !== undefined ? { other } : {}),
    stranger: VERIFY_TENANTS.stranger,
  };
}

/** A principal of the matrix as the reference model takes it (anonymous has none). */
export function modelPrincipal(p: MatrixPrincipal): Principal | undefined {
  return p.tid === undefined || p.oid === undefined
    ? undefined
    : { name: p.key, tid: p.tid, oid: p.oid, roles: p.roles };
}

/**
 * The columns: anonymous; of the home directory the item's owner, another user and a holder of each role; the
 * same three of another admitted directory; a user of a directory not admitted. Stable order.
 *
 * @example
 * ```ts
 * matrixPrincipals(signIn, ['Admin']).map((p) => p.key); // ['anonymous', 'home.owner', 'home.other', …]
 * ```
 */
export function matrixPrincipals(
  signIn: MatrixSignIn,
  roles: readonly string[],
): MatrixPrincipal[] {
  const of = (dir: 'home' | 'other', tid: string): MatrixPrincipal[] => [
    {
      key: `${dir}.owner`,
      description: `a user of the ${dir} directory, owner of the item`,
      tid,
      oid: `${dir}-owner`,
      roles: [],
    },
    {
      key: `${dir}.other`,
      description: `another user of the ${dir} directory`,
      tid,
      oid: `${dir}-other`,
      roles: [],
    },
    ...roles.map((r) => ({
      key: `${dir}.role.${r}`,
      description: `a user of the ${dir} directory holding the app role ${r}`,
      tid,
      oid: `${dir}-role-${r.replace(/[^A-Za-z0-9._-]/g, '-')}`,
      roles: [r],
    })),
  ];
  return [
    { key: 'anonymous', description: 'a caller not signed in', roles: [] },
    ...of('home', signIn.home),
    ...(signIn.other !== undefined ? of('other', signIn.other) : []),
    ...(signIn.stranger !== undefined
      ? [
          {
            key: 'stranger',
            description: 'a user of a directory not admitted',
            tid: signIn.stranger,
            oid: 'stranger',
            roles: [],
          },
        ]
      : []),
  ];
}
