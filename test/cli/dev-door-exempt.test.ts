/**
 * `atakora dev` lets the runtime's door paths through its App Service authentication stand-in as Azure does (their
 * excludedPaths: resources/functions/door/door-paths.ts): api/mcp with `mcp.authorization`, the data routes with
 * `tenants.apiKeys`, read from the app's manifest; nothing with neither, and never the people routes.
 */
import { describe, expect, it } from 'vitest';
import { exemptFromSignIn } from '../../src/cli/dev/host/app-service-auth.js';
import type { RuntimeManifest } from '../../src/model/runtime-manifest.js';
import { MCP_ROUTE } from '../../src/contract/mcp/protocol.js';
import { MCP_DOOR_PATH, manifestDoorPaths } from '../../src/resources/functions/door/door-paths.js';

const entities = [{ route: 'notes' }] as unknown as RuntimeManifest['entities'];
const at = (paths: string[], path: string) =>
  exemptFromSignIn(path.split('/').slice(2), new Set(paths.map((p) => p.toLowerCase())));

describe('dev sign-in: the door paths', () => {
  it('name the MCP endpoint the runtime serves', () => {
    expect(MCP_DOOR_PATH).toBe(`/api/${MCP_ROUTE}`);
  });
  it('api/mcp with agents, the data routes with keys, nothing with neither', () => {
    const none = manifestDoorPaths({ entities });
    expect(none).toEqual([]);
    const agents = manifestDoorPaths({
      entities,
      mcp: { authorization: { accessTokenMinutes: 10 } },
    } as unknown as RuntimeManifest);
    expect(at(agents, '/api/mcp')).toBe(true);
    expect(at(agents, '/api/notes')).toBe(false);
    const keys = manifestDoorPaths({
      entities,
      auth: {
        required: true,
        tenantClaim: 'tid',
        trustTenantHeader: false,
        registry: { membership: { apiKeys: {} } },
      },
    } as unknown as RuntimeManifest);
    expect(at(keys, '/api/notes')).toBe(true);
    expect(at(keys, '/api/notes/n1')).toBe(true);
    expect(at(keys, '/api/notesx')).toBe(false);
    expect(at(keys, '/api/mcp')).toBe(false);
    expect(at(keys, '/api/tenant/api-keys')).toBe(false);
  });
});
