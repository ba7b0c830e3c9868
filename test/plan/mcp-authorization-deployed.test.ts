/**
 * `mcp.authorization` on a backend deployed behind App Service authentication (DESIGN §2, "Agents that sign in to an
 * organization"; docs/mcp.md "What this version serves"): the door takes agent tokens deployed (`api/mcp` excluded,
 * checked by the runtime: test/runtime/door.test.ts), but the plan creates no signing key in Key Vault yet. The plan
 * says so with the warning MCP_AUTHORIZATION_NOT_DEPLOYED — the key, no longer a 401 at the door — and `atakora
 * plan`'s text shows it; without `mcp.authorization`, or with `auth: 'none'` (the error MCP_AUTHORIZATION_SIGN_IN_OFF
 * instead), there is nothing to warn about. */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { defineBackend } from '../../src/backend/define-backend.js';
import { CrudApi } from '../../src/components/crud/index.js';
import type { BackendConfig } from '../../src/model/config.js';
import { renderPlanText } from '../../src/plan/render/text.js';

const CODE = 'MCP_AUTHORIZATION_NOT_DEPLOYED';
const notes = CrudApi.define('NoteApi', {
  entityName: 'Note',
  schema: { id: 'string', title: 'string' },
  mcp: 'read',
});
const CLIENT_ID = '11111111-2222-3333-4444-555555555555';
const planOf = (config: Partial<BackendConfig>) => defineBackend({ notes }, config).plan();

describe('MCP_AUTHORIZATION_NOT_DEPLOYED', () => {
  it('warns when agents sign in behind App Service authentication, and atakora plan shows it', () => {
    const plan = planOf({ mcp: { authorization: true } });
    const issue = plan.issues.find((i) => i.code === CODE);
    expect(issue).toMatchObject({ severity: 'warning', path: ['config', 'mcp', 'authorization'] });
    expect(issue?.message).toMatch(/atakora dev/);
    expect(issue?.message).toMatch(/Key Vault/);
    // The door lets agent tokens through deployed: the warning no longer says the door answers 401.
    expect(issue?.message).not.toMatch(/401/);
    expect(issue?.resolution).toMatch(/Entra tokens/);
    expect(plan.issues.filter((i) => i.severity === 'error')).toEqual([]);
    expect(renderPlanText(plan, { color: false })).toContain(CODE);
  });

  it('fast-check: the warning appears exactly when mcp.authorization is declared and sign-in is on', () => {
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
          const codes = planOf(config).issues.map((i) => i.code);
          const declared = typeof mcp === 'object' && 'authorization' in mcp;
          expect(codes.filter((c) => c === CODE)).toHaveLength(declared && auth !== 'none' ? 1 : 0);
          // With auth 'none' the config is an error of its own, never a silent plan.
          if (declared && auth === 'none') expect(codes).toContain('MCP_AUTHORIZATION_SIGN_IN_OFF');
        },
      ),
    );
  });
});
