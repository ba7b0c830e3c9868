/**
 * `atakora dev` lets the SCIM routes through its App Service authentication stand-in as Azure does (their
 * excludedPaths: resources/functions/auth-settings.ts): an identity provider sends an organization's SCIM token,
 * never a sign-in, and the runtime checks that token. An entry ending in `/*` exempts the paths below it (a user's
 * or a group's id, any path below the SCIM base), nothing beside it.
 */
import { describe, expect, it } from 'vitest';
import { exemptFromSignIn } from '../../src/cli/dev/host/app-service-auth.js';
import { SCIM_EXCLUDED_PATHS } from '../../src/resources/functions/auth-settings.js';

const exempt = new Set(SCIM_EXCLUDED_PATHS.map((p) => p.toLowerCase()));
const at = (path: string) => exemptFromSignIn(path.split('/').slice(2), exempt);

describe('dev sign-in: the SCIM routes', () => {
  it('are exempt as in Azure, ids included; nothing beside them is', () => {
    expect(at('/api/scim/v2/Users')).toBe(true);
    expect(at('/api/scim/v2/Users/0b6f2c1e-5d1c-4a27-9d3e-1f1f1f1f1f1f')).toBe(true);
    expect(at('/api/scim/v2/Groups/g-1')).toBe(true);
    expect(at('/api/scim/v2/ServiceProviderConfig')).toBe(true);
    expect(at('/api/scim/v2/Schemas/urn:ietf:params:scim:schemas:core:2.0:User')).toBe(true);
    expect(at('/api/scim/v2/ResourceTypes/User')).toBe(true);
    // The base and any path below it too: one naming no endpoint is the runtime's SCIM 404, not a sign-in's 401.
    expect(at('/api/scim/v2/UsersX')).toBe(true);
    expect(at('/api/scim/v2')).toBe(true);
    expect(at('/api/scim/v2x/Users')).toBe(false);
    expect(at('/api/scim')).toBe(false);
    expect(at('/api/tenant/members')).toBe(false);
  });
});
