import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { RuntimeManifest } from '../../src/model/runtime-manifest.js';
import { type BuiltApp, buildApp } from './support/built-app.js';
import { noteEntity, userEntity } from './support/entities.js';

let app: BuiltApp | undefined;

function settingsOf(manifest: RuntimeManifest): Record<string, string> {
  const s: Record<string, string> = { ATAKORA_MANIFEST: JSON.stringify(manifest) };
  for (const e of manifest.entities) {
    s[e.settings.endpoint] = 'https://cosmos-shop-dev.documents.azure.com:443/';
    s[e.settings.database] = 'shop';
    s[e.settings.container] = e.route;
  }
  return s;
}

/**
 * Load the built app like the worker does (support/host-standin.cjs, the stub @azure/functions-core on NODE_PATH)
 * with `manifest`'s settings and invoke one function: one warm stand-in per manifest (built-app.ts `warm`).
 */
async function call(
  manifest: RuntimeManifest,
  fnName: string,
  method: string,
  path: string,
  headers: Record<string, string> = {},
) {
  const [answer] = await app!.invoke(settingsOf(manifest), [
    { function: fnName, method, url: `https://app.test/api/${path}`, headers },
  ]);
  return answer!;
}

// A copy of the runtime build the runtime suites share (support/built-app.ts: built once per state of the sources,
// or copied from dist/ after `npm run build`), not a build of its own: the same script's output, ~3.5 CPU-s less.
beforeAll(async () => {
  app = await buildApp('atakora-auth-app-', { warm: true });
});
afterAll(async () => {
  await app?.remove();
});

describe('the built runtime refuses callers without a client principal', () => {
  const manifest: RuntimeManifest = {
    version: 1,
    backendId: 'shop',
    entities: [userEntity, noteEntity],
  };

  it('401 on CRUD routes without x-ms-client-principal (a manifest without auth means auth on); a spoofed x-tenant-id is no credential', async () => {
    const r = await call(manifest, 'NoteApi-collection', 'GET', 'notes', {
      'x-tenant-id': 'tenant-b',
    });
    expect(r.status).toBe(401);
    expect(JSON.parse(r.body).type).toBe('urn:atakora:problem:unauthenticated');
    expect((await call(manifest, 'UserApi-collection', 'GET', 'users')).status).toBe(401);
    const explicit = await call(
      { ...manifest, auth: { required: true, tenantClaim: 'tid', trustTenantHeader: false } },
      'UserApi-collection',
      'GET',
      'users',
    );
    expect(explicit.status).toBe(401);
  });

  it("auth 'none' in the manifest: a tenant-scoped route without a claim or trusted header is 403, not 401", async () => {
    const open = {
      ...manifest,
      auth: { required: false, tenantClaim: 'tid', trustTenantHeader: false },
    };
    const r = await call(open, 'NoteApi-collection', 'GET', 'notes', { 'x-tenant-id': 'tenant-b' });
    expect(r.status).toBe(403);
    expect(JSON.parse(r.body).type).toBe('urn:atakora:problem:tenant-required');
  });
});
