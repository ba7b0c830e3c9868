/**
 * A path below the SCIM base that names no SCIM endpoint (`/Bulk`, `/Me`, `/Users/{id}/extra`, a misspelt
 * resource) answers as a SCIM service provider does — 404 with a SCIM error body (RFC 7644 §3.12: `schemas:
 * ["urn:ietf:params:scim:api:messages:2.0:Error"]`, `status` "404" as a string, `detail`), `application/scim+json`
 * — not the host's bare 404 nor a problem document, and App Service authentication lets it through to say so
 * (`excludedPaths`). The catch-all must shadow none of the real routes: every request is routed here as the Functions
 * host routes it (its functions in name order, the first whose template and method match answers:
 * kit/pure/route-order.ts, the matcher `atakora dev` uses), in the shared app and in the SCIM app, with the headers
 * Microsoft Entra's provisioning service and Okta send (Learn, "Tutorial: Develop and plan provisioning for a SCIM
 * endpoint"; Okta's "SCIM 2.0 protocol reference": `Accept` and `Content-Type: application/scim+json`, `User-Agent:
 * Okta SCIM Client 1.0.0`).
 */
import type { HttpFunctionOptions, HttpHandler } from '@azure/functions';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SCIM_SCHEMAS } from '../../src/contract/scim/scim.js';
import { matchRoute } from '../../src/cli/dev/host/routes.js';
import { exemptFromSignIn } from '../../src/cli/dev/host/app-service-auth.js';
import { hostRouteOrder } from '../../src/kit/pure/route-order.js';
import { SCIM_EXCLUDED_PATHS } from '../../src/resources/functions/auth-settings.js';
import { registerScimApp } from '../../src/runtime/register-scim-app.js';
import { noteEntity } from './support/entities.js';
import { invoke, type Reply } from './support/http.js';
import { type LocalCosmos, startLocalCosmos } from './support/local-cosmos.js';
import { member, policy, record, reseed } from './support/organization-calls.js';
import { registerOrganizationsApp } from './support/organizations-app.js';
import { person } from './support/scim-app.js';

type Fn = { readonly name: string; readonly options: HttpFunctionOptions };

let cosmos: LocalCosmos;
const shared = new Map<string, HttpFunctionOptions>();
const scimOnly = new Map<string, HttpFunctionOptions>();
let token: string;

const entra = (t: string) => ({
  authorization: `Bearer ${t}`,
  'content-type': 'application/scim+json',
});
const okta = (t: string) => ({
  authorization: `Bearer ${t}`,
  accept: 'application/scim+json',
  'content-type': 'application/scim+json; charset=utf-8',
  'user-agent': 'Okta SCIM Client 1.0.0',
});

/** A request routed as the host routes it: the first function by name whose template and methods match. */
async function routed(
  fns: ReadonlyMap<string, HttpFunctionOptions>,
  method: string,
  path: string,
  headers: Record<string, string>,
  body?: unknown,
): Promise<Reply & { readonly fn: string | undefined }> {
  const ordered = hostRouteOrder([...fns].map(([name, options]): Fn => ({ name, options })));
  for (const { name, options } of ordered) {
    const methods = (options.methods ?? ['GET', 'POST', 'PUT', 'PATCH', 'DELETE']) as string[];
    if (!methods.includes(method)) continue;
    const params = matchRoute(options.route ?? name, path);
    if (!params) continue;
    const r = await invoke(options.handler as HttpHandler, method, path, {
      headers,
      params,
      ...(body === undefined ? {} : { body }),
    });
    return { ...r, fn: name };
  }
  return { status: 404, headers: new Headers(), text: '', body: undefined, fn: undefined };
}

const scimError404 = (r: Reply) => {
  expect(r.status, r.text).toBe(404);
  expect(r.headers.get('content-type')).toContain('application/scim+json');
  expect(r.body).toEqual({
    schemas: [SCIM_SCHEMAS.error],
    status: '404',
    detail: expect.any(String),
  });
};

const UNKNOWN = [
  ['GET', 'scim/v2/Bulk'],
  ['POST', 'scim/v2/Bulk'],
  ['GET', 'scim/v2/Me'],
  ['GET', 'scim/v2/Userz'],
  ['GET', 'scim/v2/Users/2819c223/extra'],
  ['PATCH', 'scim/v2/Groups/g-1/members'],
  ['DELETE', 'scim/v2/Schemas/urn:x/more'],
  ['GET', 'scim/v2'],
  ['GET', 'scim/v2/'],
] as const;

beforeAll(async () => {
  cosmos = await startLocalCosmos();
  const containers = await registerOrganizationsApp(cosmos, shared, policy);
  const notes = await cosmos.container(noteEntity.componentId, '/tenantId');
  registerScimApp(
    { http: (name, o) => scimOnly.set(name, o) },
    { version: 1, backendId: 'orgs', entities: [noteEntity], auth: policy },
    { containerFor: () => notes, caller: policy },
  );
  await reseed(containers, [record('acme')], [member('acme', 'ada', ['Owner'])]);
  const issued = await invoke(
    shared.get('membership-scim-tokens')?.handler as HttpHandler,
    'POST',
    'tenant/scim-tokens',
    { headers: { ...person('ada'), 'x-atakora-tenant': 'acme' }, body: { name: 'Entra' } },
  );
  expect(issued.status, issued.text).toBe(201);
  token = issued.body.token as string;
});
afterAll(async () => cosmos?.stop());

describe('an unknown path below the SCIM base', () => {
  for (const [app, fns] of [
    ['the shared app', shared],
    ['the SCIM app', scimOnly],
  ] as const)
    it(`is a SCIM 404 in ${app}, as Entra and Okta send it`, async () => {
      for (const headers of [entra(token), okta(token)])
        for (const [method, path] of UNKNOWN)
          scimError404(await routed(fns, method, path, headers, method === 'GET' ? undefined : {}));
    });

  it('shadows none of the real routes: each still answers as it did', async () => {
    for (const fns of [shared, scimOnly])
      for (const headers of [entra(token), okta(token)]) {
        const users = await routed(fns, 'GET', 'scim/v2/Users', headers);
        expect([users.fn, users.status]).toEqual(['scim-users', 200]);
        expect(users.body.schemas).toEqual([SCIM_SCHEMAS.listResponse]);
        const lower = await routed(fns, 'GET', 'scim/v2/users', headers);
        expect([lower.fn, lower.status]).toEqual(['scim-users', 200]);
        const missing = await routed(fns, 'GET', 'scim/v2/Users/no-such-user', headers);
        expect(missing.fn).toBe('scim-user');
        const groups = await routed(fns, 'GET', 'scim/v2/Groups', headers);
        expect([groups.fn, groups.status]).toEqual(['scim-groups', 200]);
        for (const [fn, path] of [
          ['scim-service-provider-config', 'scim/v2/ServiceProviderConfig'],
          ['scim-schemas', 'scim/v2/Schemas'],
          ['scim-schema', `scim/v2/Schemas/${SCIM_SCHEMAS.user}`],
          ['scim-resource-types', 'scim/v2/ResourceTypes'],
          ['scim-resource-type', 'scim/v2/ResourceTypes/User'],
        ] as const) {
          const r = await routed(fns, 'GET', path, headers);
          expect([r.fn, r.status], path).toEqual([fn, 200]);
        }
        // A method a real route does not take stays its SCIM 405, not the catch-all's 404.
        const post = await routed(fns, 'POST', 'scim/v2/ServiceProviderConfig', headers, {});
        expect([post.fn, post.status]).toEqual(['scim-service-provider-config', 405]);
      }
  });

  it('without a token is the SCIM 401, as on every SCIM route', async () => {
    const r = await routed(shared, 'GET', 'scim/v2/Me', { accept: 'application/scim+json' });
    expect(r.status).toBe(401);
    expect(r.body).toMatchObject({ schemas: [SCIM_SCHEMAS.error], status: '401' });
  });

  it('is let through App Service authentication (excludedPaths), and nothing beside the SCIM base is', () => {
    const exempt = new Set(SCIM_EXCLUDED_PATHS.map((p) => p.toLowerCase()));
    const at = (path: string) => exemptFromSignIn(path.split('/').slice(2), exempt);
    for (const [, path] of UNKNOWN)
      if (!path.endsWith('/')) expect(at(`/api/${path}`), path).toBe(true);
    expect(at('/api/scim/v2x/Users')).toBe(false);
    expect(at('/api/scim')).toBe(false);
    expect(at('/api/tenant/members')).toBe(false);
  });
});
