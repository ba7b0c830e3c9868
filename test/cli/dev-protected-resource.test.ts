/**
 * The protected-resource metadata `atakora dev` serves for an MCP server (RFC 9728, as App Service's preview serves
 * it in Azure) names the issuer App Service authentication validates (resources/functions/auth-settings.ts): the
 * backend's directory, `common` for many directories, and a customer sign-in's external tenant on ciamlogin.com.
 */
import { describe, expect, it } from 'vitest';
import { normalizeConfig } from '../../src/backend/normalize-config.js';
import {
  DEV_PRM_AUTHORITY_ENV,
  devProtectedResource,
  protectedResourceOf,
} from '../../src/cli/dev/host/protected-resource.js';

const TENANT = '22222222-2222-4222-8222-222222222222';
const EXTERNAL = '6f1c2b3a-0000-4000-8000-00000000c1a0';
const servers = (auth: object, extra: object = {}) => {
  const env = devProtectedResource(normalizeConfig({ auth, mcp: true, ...extra }), true);
  return protectedResourceOf(env)?.document('http://127.0.0.1:7071')['authorization_servers'];
};

describe("dev's protected-resource metadata", () => {
  it('names the issuer App Service validates for each sign-in audience', () => {
    expect(servers({ tenantId: TENANT })).toEqual([
      `https://login.microsoftonline.com/${TENANT}/v2.0`,
    ]);
    expect(servers({ signInAudience: 'AzureADMultipleOrgs', allowedTenants: [TENANT] })).toEqual([
      'https://login.microsoftonline.com/common/v2.0',
    ]);
    expect(
      servers(
        {
          signInAudience: 'customers',
          externalTenant: { id: EXTERNAL, subdomain: 'contosoid' },
        },
        { tenants: { by: 'membership', plans: { free: {} }, defaultPlan: 'free' } },
      ),
    ).toEqual([`https://contosoid.ciamlogin.com/${EXTERNAL}/v2.0`]);
  });

  it('is not served without the MCP server or without sign-in', () => {
    expect(devProtectedResource(normalizeConfig({}), true)).toEqual({});
    expect(devProtectedResource(normalizeConfig({ mcp: true, auth: 'none' }), true)).toEqual({});
    expect(devProtectedResource(normalizeConfig({ mcp: true }), false)[DEV_PRM_AUTHORITY_ENV]).toBe(
      undefined,
    );
  });
});
