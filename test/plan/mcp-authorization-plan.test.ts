/**
 * `mcp.authorization` on a backend deployed behind App Service authentication (DESIGN §2, "Agents that sign in to an
 * organization"; docs/mcp.md "What this version serves"): the door takes agent tokens deployed (`api/mcp` excluded,
 * checked by the runtime: test/runtime/door.test.ts), they are signed with the plan's key in Key Vault and the consent
 * form's key is shared by the instances (test/runtime/oauth/agents-vault-key.test.ts) — so the plan warns nothing
 * about agents any more (the warning MCP_AUTHORIZATION_NOT_DEPLOYED is gone); with `auth: 'none'` the error
 * MCP_AUTHORIZATION_SIGN_IN_OFF still refuses it. */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { defineBackend } from '../../src/backend/define-backend.js';
import { CrudApi } from '../../src/components/crud/index.js';
import type { BackendConfig } from '../../src/model/config.js';
import { renderPlanText } from '../../src/plan/render/text.js';

const notes = CrudApi.define('NoteApi', {
  entityName: 'Note',
  schema: { id: 'string', title: 'string' },
  mcp: 'read',
});
const CLIENT_ID = '11111111-2222-3333-4444-555555555555';
const planOf = (config: Partial<BackendConfig>) => defineBackend({ notes }, config).plan();

describe('mcp.authorization in the plan', () => {
  it('deployed with sign-in on: no issue on config.mcp, and atakora plan names none', () => {
    const plan = planOf({ mcp: { authorization: true } });
    expect(plan.issues.filter((i) => (i.path ?? []).join('.').startsWith('config.mcp'))).toEqual(
      [],
    );
    expect(plan.issues.map((i) => i.code)).not.toContain('MCP_AUTHORIZATION_NOT_DEPLOYED');
    expect(renderPlanText(plan, { color: false })).not.toContain('MCP_AUTHORIZATION_NOT_DEPLOYED');
  });

  it('fast-check: an issue on mcp.authorization exactly when sign-in is off, and then the error', () => {
    fc.assert(
      fc.property(
        fc.constantFrom<'created' | 'clientId' | 'none'>('created', 'clientId', 'none'),
        fc.constantFrom<BackendConfig['mcp']>(
          undefined,
          true,
          { writes: true },
          { authorization: true },
          { authorization: { accessTokenMinutes: 5, refreshTokenDays: 30 } },
        ),
        (auth, mcp) => {
          const config: Partial<BackendConfig> = {
            ...(auth === 'none'
              ? { auth: 'none' }
              : auth === 'clientId'
                ? { auth: { clientId: CLIENT_ID } }
                : {}),
            ...(mcp !== undefined ? { mcp } : {}),
          };
          const issues = planOf(config).issues;
          const declared = typeof mcp === 'object' && 'authorization' in mcp;
          const onAuthorization = issues.filter(
            (i) => (i.path ?? []).join('.') === 'config.mcp.authorization',
          );
          expect(onAuthorization.map((i) => i.code)).toEqual(
            declared && auth === 'none' ? ['MCP_AUTHORIZATION_SIGN_IN_OFF'] : [],
          );
        },
      ),
    );
  });
});
