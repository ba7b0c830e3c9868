/**
 * `GET api/plans` (DESIGN §2, "The people side as drop-in elements"): every declared plan as the package it sells —
 * name, price, per seat, trial, seats, items, features — from the backend's own declaration (examples/billing/
 * packages.ts, through the runtime manifest apply and dev write), through the request pipeline against the local
 * Cosmos DB server: any signed-in caller, in no organization; anonymous is 401; another method 405.
 */
import type { HttpFunctionOptions } from '@azure/functions';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import packaged from '../../examples/billing/packages.js';
import { admissionPolicy } from '../../src/kit/pure/tenant-registry.js';
import type { RuntimeAuth } from '../../src/model/runtime-manifest.js';
import { parseManifest } from '../../src/runtime/manifest-loader.js';
import { mergedConfigOf } from '../../src/resources/types.js';
import { runtimeManifestOf } from '../../src/resources/functions/runtime-manifest.js';
import { type LocalCosmos, startLocalCosmos } from './support/local-cosmos.js';
import { organizationCalls, who } from './support/organization-calls.js';
import { registerOrganizationsApp } from './support/organizations-app.js';

/** The manifest's caller policy as apply writes it for the example, read back as the runtime parses it. */
function exampleAuth(): RuntimeAuth {
  const plan = packaged.plan();
  const app = plan.resources.find(
    (r) => r.type === 'functions' && mergedConfigOf('functions', r).crudRuntime,
  );
  if (!app) throw new Error('no CRUD runtime');
  const written = runtimeManifestOf(mergedConfigOf('functions', app), {
    backendId: plan.backendId,
    environment: plan.environment,
    auth: {
      required: true,
      tenantClaim: 'tid',
      trustTenantHeader: false,
      homeTenant: 'home-dir',
      ...admissionPolicy(packaged.config),
    },
    identities: false,
  });
  const auth = parseManifest(JSON.stringify(written)).auth;
  if (!auth) throw new Error('no auth');
  return auth;
}

let cosmos: LocalCosmos;
const fns = new Map<string, HttpFunctionOptions>();
const { call } = organizationCalls(fns);

beforeAll(async () => {
  cosmos = await startLocalCosmos();
  await registerOrganizationsApp(cosmos, fns, exampleAuth());
});
afterAll(async () => cosmos?.stop());

describe('GET api/plans', () => {
  it("lists each declared plan's package to any signed-in caller, in no organization", async () => {
    const r = await call('atakora-plans', 'GET', 'plans', who('stranger'));
    expect(r.status).toBe(200);
    expect(r.body).toEqual({
      items: [
        {
          name: 'enterprise',
          default: false,
          price: null,
          perSeat: false,
          trialDays: null,
          seats: null,
          items: { ProjectApi: null, ReportApi: null },
          features: [
            'audit',
            'directory',
            'domains',
            'exports',
            'mcp',
            'reports',
            'scim',
            'search',
          ],
          checkout: true,
        },
        {
          name: 'free',
          default: true,
          price: 0,
          perSeat: false,
          trialDays: null,
          seats: 3,
          items: { ProjectApi: 2, ReportApi: null },
          features: [],
          checkout: false,
        },
        {
          name: 'team',
          default: false,
          price: 15,
          perSeat: true,
          trialDays: 14,
          seats: 25,
          items: { ProjectApi: 100, ReportApi: 500 },
          features: ['audit', 'domains', 'mcp', 'reports'],
          checkout: true,
        },
      ],
    });
  });

  it('is 401 to an anonymous caller and 405 to another method', async () => {
    expect((await call('atakora-plans', 'GET', 'plans', {})).status).toBe(401);
    const posted = await call('atakora-plans', 'POST', 'plans', who('stranger'));
    expect(posted.status).toBe(405);
  });
});
