/**
 * Deployed discovery of the backend's own authorization server (docs/mcp.md, "Discovery"): with `mcp.authorization`
 * the synthesized app lets its discovery documents and public keys through App Service authentication (the runtime
 * serves them under `api/`, the only paths a Function App's functions have) and does not turn on App Service's
 * protected-resource metadata (`WEBSITE_AUTH_PRM_DEFAULT_WITH_SCOPES`), whose document would name Entra ID as the
 * door's authorization server (Learn, app-service/configure-authentication-mcp). An MCP server without
 * `authorization` keeps App Service's document and lets none of them through.
 */
import { describe, expect, it } from 'vitest';
import { defineBackend } from '../../src/backend/define-backend.js';
import { CrudApi } from '../../src/components/crud/index.js';
import type { BackendConfig } from '../../src/model/config.js';
import { PRM_SCOPES_SETTING } from '../../src/model/runtime-manifest.js';
import { functionApps } from '../support/app-packages.js';
import { synth } from '../support/synth.js';

type Attrs = {
  auth_settings_v2?: { excluded_paths?: string[] };
  app_settings: Record<string, string>;
};
const CLIENT = '11111111-2222-3333-4444-555555555555';
const TENANT = '99999999-8888-7777-6666-555555555555';
const DISCOVERY = [
  '/api/.well-known/oauth-protected-resource',
  '/api/.well-known/openid-configuration',
  '/api/oauth/jwks',
];

function runtimeApp(config: Partial<BackendConfig>): Attrs {
  const notes = CrudApi.define('NoteApi', {
    entityName: 'Note',
    schema: { id: 'string', title: 'string' },
    access: [{ allow: 'role', role: 'Member' }],
    mcp: 'read',
  });
  const apps = functionApps(synth(defineBackend({ notes }, config)).resource) as Attrs[];
  const app = apps.find((a) => a.app_settings['ATAKORA_MANIFEST'] !== undefined);
  expect(app).toBeDefined();
  return app as Attrs;
}

describe('deployed discovery of the backend’s own authorization server', () => {
  it('mcp.authorization: the discovery paths go without sign-in, and App Service names no Entra server', () => {
    const a = runtimeApp({
      mcp: { authorization: true },
      auth: { clientId: CLIENT, tenantId: TENANT },
    });
    const excluded = a.auth_settings_v2?.excluded_paths ?? [];
    for (const p of DISCOVERY) expect(excluded).toContain(p);
    expect(a.app_settings[PRM_SCOPES_SETTING]).toBeUndefined();
  });

  it('an MCP server signed in with Entra ID keeps App Service’s metadata and exposes no discovery path', () => {
    const a = runtimeApp({ mcp: true, auth: { clientId: CLIENT, tenantId: TENANT } });
    const excluded = a.auth_settings_v2?.excluded_paths ?? [];
    for (const p of DISCOVERY) expect(excluded).not.toContain(p);
    expect(a.app_settings[PRM_SCOPES_SETTING]).toBe(`api://${CLIENT}/user_impersonation`);
  });
});
