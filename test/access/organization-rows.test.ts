/**
 * The reference model of the organization routes (src/access/model/organization-routes.ts) and the matrix rows
 * derived from it: who passes each route's gate in the runtime's order, and the billing rows only where a backend
 * declares subscriptions.
 */
import { describe, expect, it } from 'vitest';
import { organizationRows } from '../../src/access/matrix/organization-rows.js';
import { matrixPrincipals, signInOf } from '../../src/access/matrix/sign-in.js';
import {
  ORGANIZATION_ROUTES,
  organizationAnswer,
} from '../../src/access/model/organization-routes.js';

const signInWith = (billing: boolean, directorySignIn = false) =>
  signInOf({
    required: true,
    tenantClaim: 'tid',
    trustTenantHeader: false,
    registry: {
      membership: {
        container: 'members',
        roles: ['Admin', 'Member'],
        createTenants: 'any-user',
        ...(directorySignIn ? { directorySignIn } : {}),
      },
      signUp: 'invite',
      defaultPlan: 'free',
      ...(billing
        ? {
            billing: {
              secret: 'STRIPE_KEY',
              meters: {},
              subscriptions: { webhookSecret: 'W', prices: {}, onCanceled: 'default-plan' },
            },
          }
        : {}),
    },
  } as unknown as Parameters<typeof signInOf>[0]);

describe('the organization routes in the reference model and the matrix', () => {
  it('answers in the runtime order: sign-in, membership, roles', () => {
    const owner = { signedIn: true, roles: ['Owner'] };
    const admin = { signedIn: true, roles: ['Admin'] };
    const member = { signedIn: true, roles: [] };
    const outsider = { signedIn: true, roles: undefined };
    const anonymous = { signedIn: false, roles: undefined };
    expect(organizationAnswer('owner', owner)).toBe('tenant');
    expect(organizationAnswer('owner', admin)).toBe(403);
    expect(organizationAnswer('owner-or-admin', admin)).toBe('tenant');
    expect(organizationAnswer('owner-or-admin', member)).toBe(403);
    expect(organizationAnswer('member', member)).toBe('tenant');
    expect(organizationAnswer('member', outsider)).toBe(403);
    expect(organizationAnswer('owner', anonymous)).toBe(401);
    expect(organizationAnswer('signed-in', outsider)).toBe('own');
    expect(organizationAnswer('anonymous', anonymous)).toBe('allow');
    expect(organizationAnswer('signed', anonymous)).toBe('allow');
    // SCIM: its own principal. Only a live SCIM token reaches the SCIM routes (its organization's: `tenant`); a
    // revoked one, a user's sign-in (an Owner's included) and anonymous are 401; the token is no sign-in elsewhere.
    const token = { signedIn: false, roles: undefined, scim: 'valid' as const };
    const revoked = { signedIn: false, roles: undefined, scim: 'revoked' as const };
    expect(organizationAnswer('scim', token)).toBe('tenant');
    expect(organizationAnswer('scim', revoked)).toBe(401);
    expect(organizationAnswer('scim', owner)).toBe(401);
    expect(organizationAnswer('scim', anonymous)).toBe(401);
    expect(organizationAnswer('member', token)).toBe(401);
    expect(organizationAnswer('anonymous', token)).toBe('allow');
  });

  it('derives one row per route, billing only with subscriptions, each cell the model answer of its column', () => {
    const plain = signInWith(false);
    const principals = matrixPrincipals(plain, ['Admin']);
    const rows = organizationRows(plain, principals);
    expect(rows.map((r) => r.operation)).toEqual(
      ORGANIZATION_ROUTES.filter((r) => r.feature === undefined).map((r) => r.operation),
    );
    const update = rows.find((r) => r.operation === 'tenant:update');
    expect(update?.cells).toEqual({
      anonymous: 401,
      'home.owner': 403,
      'home.other': 403,
      'home.role.Admin': 'tenant',
      'home.role.Owner': 'tenant',
      'other.owner': 403,
      stranger: 403,
      scim: 401,
      'scim.revoked': 401,
    });
    // The SCIM routes: a row each, the SCIM token's column alone through.
    expect(rows.filter((r) => r.operation.startsWith('scim:')).map((r) => r.request)).toEqual([
      'GET api/scim/v2/Users',
      'POST api/scim/v2/Users',
      'GET api/scim/v2/Users/{id}',
      'PUT api/scim/v2/Users/{id}',
      'PATCH api/scim/v2/Users/{id}',
      'DELETE api/scim/v2/Users/{id}',
      'GET api/scim/v2/Groups',
      'POST api/scim/v2/Groups',
      'GET api/scim/v2/Groups/{id}',
      'PUT api/scim/v2/Groups/{id}',
      'PATCH api/scim/v2/Groups/{id}',
      'DELETE api/scim/v2/Groups/{id}',
      'GET api/scim/v2/ServiceProviderConfig',
      'GET api/scim/v2/ResourceTypes',
      'GET api/scim/v2/ResourceTypes/{id}',
      'GET api/scim/v2/Schemas',
      'GET api/scim/v2/Schemas/{id}',
    ]);
    expect(rows.find((r) => r.operation === 'scim:users:update')?.cells).toEqual({
      anonymous: 401,
      'home.owner': 401,
      'home.other': 401,
      'home.role.Admin': 401,
      'home.role.Owner': 401,
      'other.owner': 401,
      stranger: 401,
      scim: 'tenant',
      'scim.revoked': 401,
    });
    // The SCIM token's columns sign in as nobody: the model reads them as anonymous on every other route.
    expect(principals.filter((p) => p.scim !== undefined)).toEqual([
      expect.objectContaining({ key: 'scim', scim: 'valid', organization: 'verify-org-home' }),
      expect.objectContaining({ key: 'scim.revoked', scim: 'revoked' }),
    ]);
    expect(principals.find((p) => p.key === 'scim')?.oid).toBeUndefined();
    const paid = signInWith(true);
    expect(organizationRows(paid, principals).map((r) => r.operation)).toEqual(
      ORGANIZATION_ROUTES.filter((r) => r.feature === undefined || r.feature === 'billing').map(
        (r) => r.operation,
      ),
    );
    // The directory routes only where directory sign-in is on (elsewhere they answer 400 directory-not-supported).
    expect(rows.some((r) => r.operation.startsWith('directory:'))).toBe(false);
    const everything = organizationRows(signInWith(true, true), principals);
    // The integrations' people routes only where the backend declares keys or agents (organization-keys test below).
    expect(everything.map((r) => r.operation)).toEqual(
      ORGANIZATION_ROUTES.filter((r) => r.feature !== 'api-keys' && r.feature !== 'agents').map(
        (r) => r.operation,
      ),
    );
    const cellOf = (op: string, who: string) =>
      everything.find((r) => r.operation === op)?.cells[who];
    expect(cellOf('directory:read', 'home.role.Admin')).toBe('tenant');
    expect(cellOf('directory:link', 'home.role.Admin')).toBe(403);
    expect(cellOf('directory:unlink', 'home.role.Owner')).toBe('tenant');
    expect(everything.find((r) => r.operation === 'directory:link')?.request).toBe(
      'PUT api/tenant/directory',
    );
    // Joins: the caller's own before any organization; their answers and SCIM tokens by role.
    expect(cellOf('me:joinable', 'stranger')).toBe('own');
    expect(cellOf('tenants:join', 'anonymous')).toBe(401);
    expect(cellOf('join-requests:approve', 'home.role.Admin')).toBe('tenant');
    expect(cellOf('join-requests:decline', 'home.other')).toBe(403);
    expect(cellOf('scim-tokens:create', 'home.role.Admin')).toBe(403);
    expect(cellOf('scim-tokens:list', 'home.role.Owner')).toBe('tenant');
    // No rows for a backend without organizations.
    expect(organizationRows(signInOf(undefined, 'contoso'), principals)).toEqual([]);
  });
});
