// The per-file setup the SCIM runtime tests share: the local Cosmos DB server started and the SCIM app registered
// over it once per file, the server stopped after; before each test (or once, for a file whose tests build on one
// another's state) the two organizations written afresh, a SCIM token issued to acme's Owner, and acme's domain
// door opened as the file asks. The app it returns is the file's for every test: its calls reach the app the hooks
// made, so helpers at the top of a file may close over it before the hooks run.
import { afterAll, beforeAll, beforeEach, expect } from 'vitest';
import { SCIM_SCHEMAS } from '../../../src/contract/scim/scim.js';
import { forwarded } from './forwarded.js';
import { type LocalCosmos, startLocalCosmos } from './local-cosmos.js';
import type { Reply } from './http.js';
import { DOMAINS, type ScimApp, scimApp } from './scim-app.js';

/** What a file's tests start from. */
export interface ScimSuiteOptions {
  /** Issue acme a SCIM token of this name (Entra, Okta…) before each test: `token` is it. None when absent. */
  readonly token?: string;
  /** How acme's verified domain admits people: `request` (an Owner or Admin answers), `auto`; `off` when absent. */
  readonly join?: 'request' | 'auto';
  /** Reset and issue once, before the first test, instead of before each. */
  readonly once?: boolean;
}

/** The file's SCIM app, with the token its setup issued and the Cosmos DB server under it. */
export interface ScimSuite extends ScimApp {
  /** The token issued to acme by this test's setup (`''` without the `token` option). */
  readonly token: string;
  readonly cosmos: LocalCosmos;
  /** Entra's `POST Users` of an active `userName` with `token`: the user's id (201 expected). */
  provision(userName: string): Promise<string>;
  /** Entra's `PATCH active` of user `id` to `"False"` (a string, as Entra sends it) with `token`. */
  deactivate(id: string): Promise<Reply>;
}

/**
 * Register the hooks of a SCIM runtime test file (call it at the top level of the file) and return its app.
 *
 * @example
 * ```ts
 * const app = scimSuite({ token: 'Entra', join: 'request' });
 * it('provisions', async () => {
 *   expect((await app.scim('scim-users', 'GET', 'scim/v2/Users', app.token)).status).toBe(200);
 * });
 * ```
 */
export function scimSuite(options: ScimSuiteOptions = {}): ScimSuite {
  let cosmos: LocalCosmos | undefined;
  let app: ScimApp | undefined;
  let token = '';
  const live = (): ScimApp => {
    if (!app) throw new Error('scimSuite: the app is used before its beforeAll ran');
    return app;
  };
  const setUp = async () => {
    const a = live();
    await a.reset();
    if (options.token !== undefined)
      token = (await a.issue('acme', options.token)).body.token as string;
    if (options.join !== undefined) {
      const { resource } = await a.members.item(`acme|domain|${DOMAINS.acme}`, 'acme').read();
      await a.members.items.upsert({ ...resource, join: options.join });
    }
  };
  beforeAll(async () => {
    cosmos = await startLocalCosmos();
    app = await scimApp(cosmos);
    if (options.once) await setUp();
  });
  afterAll(async () => {
    await cosmos?.stop();
  });
  if (!options.once) beforeEach(setUp);
  const provision = async (userName: string) => {
    const r = await live().scim('scim-users', 'POST', 'scim/v2/Users', token, {
      body: { schemas: [SCIM_SCHEMAS.user], userName, active: true },
    });
    expect(r.status).toBe(201);
    return r.body.id as string;
  };
  const deactivate = (id: string) =>
    live().scim('scim-user', 'PATCH', `scim/v2/Users/${id}`, token, {
      params: { id },
      body: {
        schemas: [SCIM_SCHEMAS.patchOp],
        Operations: [{ op: 'Replace', path: 'active', value: 'False' }],
      },
    });
  return forwarded(() => {
    const a = live();
    if (!cosmos) throw new Error('scimSuite: the server is used before its beforeAll ran');
    return { ...a, token, cosmos, provision, deactivate };
  });
}
