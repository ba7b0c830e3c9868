/**
 * The third-party SCIM conformance tester python-scim/scim2-tester (0.2.8, by Yaal: `scim2-tester URL --token T`),
 * ported check for check and run against our SCIM endpoint as the Functions host routes it (the shared app, the real
 * handlers, the local Cosmos DB server). Like the tester it is driven by what we publish: it reads
 * `ServiceProviderConfig`, `/ResourceTypes` and `/Schemas`, builds a model per resource type from our schemas
 * (scim2-client `build_resource_models`), and for each type creates, reads, filters (`attributes`,
 * `excludedAttributes` on `/{id}`, the list and `POST /.search`), replaces, deletes, then PATCHes every attribute path
 * (add, remove, replace) with random values of the published type — e-mails, phone numbers, `name`, `active`,
 * `externalId`, the multi-valued complex `emails`/`phoneNumbers`/`addresses`/`members`, the enterprise extension by
 * its URN and each of its attributes — comparing what it sent with what the PATCH answers and the next GET shows.
 * The checks live in test/runtime/support/scim-tester/ (each file names the tester's module and function it ports).
 */
import type { HttpFunctionOptions, HttpHandler } from '@azure/functions';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { TesterClient } from './support/scim-tester/client.js';
import type { CheckContext, CheckResult } from './support/scim-tester/context.js';
import { discoveryChecks, randomUrl } from './support/scim-tester/discovery.js';
import { buildModels, Random } from './support/scim-tester/model.js';
import { patchChecks } from './support/scim-tester/patch.js';
import { resourceChecks } from './support/scim-tester/resource.js';
import { invoke } from './support/http.js';
import { type LocalCosmos, startLocalCosmos } from './support/local-cosmos.js';
import { member, policy, record, reseed } from './support/organization-calls.js';
import { registerOrganizationsApp } from './support/organizations-app.js';
import { person } from './support/scim-app.js';

let cosmos: LocalCosmos;
const fns = new Map<string, HttpFunctionOptions>();
let token: string;

/** The seed of the tester's coin flips (`active`, `primary`): set ATAKORA_SCIM_TESTER_SEED to replay a run. */
const SEED = Number(process.env['ATAKORA_SCIM_TESTER_SEED'] ?? 120);

beforeAll(async () => {
  cosmos = await startLocalCosmos();
  const containers = await registerOrganizationsApp(cosmos, fns, policy);
  await reseed(containers, [record('acme')], [member('acme', 'ada', ['Owner'])]);
  const issued = await invoke(
    fns.get('membership-scim-tokens')?.handler as HttpHandler,
    'POST',
    'tenant/scim-tokens',
    { headers: { ...person('ada'), 'x-atakora-tenant': 'acme' }, body: { name: 'scim2-tester' } },
  );
  expect(issued.status, issued.text).toBe(201);
  token = issued.body.token as string;
});
afterAll(async () => cosmos?.stop());

/** scim2_tester/checker.py `check_server`: discovery, then (discovery having succeeded) `random_url` and each type. */
async function checkServer(seed: number): Promise<CheckResult[]> {
  const context: CheckContext = {
    client: new TesterClient(fns, token),
    rnd: new Random(seed),
    models: [],
    patchSupported: true,
    created: [],
  };
  const d = await discoveryChecks(context);
  const results = [...d.results];
  if (!d.spc || d.types.length === 0 || d.schemas.length === 0) return results;
  context.models = buildModels(d.types, d.schemas);
  context.patchSupported = d.spc['patch']?.supported === true;
  results.push(...(await randomUrl(context)));
  for (const model of context.models)
    for (const r of [
      ...(await resourceChecks(context, model)),
      ...(await patchChecks(context, model)),
    ])
      results.push({ ...r, resourceType: model.name });
  return results;
}

const line = (r: CheckResult) =>
  `${r.status} ${r.title}${r.resourceType ? ` [${r.resourceType}]` : ''}: ${r.reason}`;

describe('scim2-tester, ported, against our SCIM endpoint', () => {
  let results: CheckResult[] = [];
  beforeAll(async () => {
    results = await checkServer(SEED);
  });

  it('passes every check it runs', () => {
    const failed = results.filter((r) => r.status !== 'SUCCESS').map(line);
    expect(failed, `seed ${SEED}`).toEqual([]);
  });

  it('runs the checks our published schemas call for, each once per path', () => {
    const count = (title: string, type?: string) =>
      results.filter((r) => r.title === title && r.resourceType === type).length;
    // Discovery: one per document, one per resource type (by id, its schema), one per schema by id.
    expect(count('service_provider_config_endpoint')).toBe(1);
    expect(count('query_resource_type_by_id')).toBe(2);
    expect(count('resource_types_schema_validation')).toBe(2);
    expect(count('access_schema_by_id')).toBe(3);
    expect(count('random_url')).toBe(1);
    // Users: 13 core paths + the extension + 6 extension attributes to add and remove; userName replaced too.
    expect(count('check_add_attribute', 'User')).toBe(20);
    expect(count('check_remove_attribute', 'User')).toBe(20);
    expect(count('check_replace_attribute', 'User')).toBe(21);
    for (const t of ['User', 'Group'])
      for (const title of [
        'object_query_with_attributes',
        'object_list_with_attributes',
        'search_with_attributes',
      ])
        expect(count(title, t), `${title} ${t}`).toBe(2);
    expect(count('check_add_attribute', 'Group')).toBe(2);
    expect(count('check_replace_attribute', 'Group')).toBe(3);
    expect(results.length).toBe(103);
  });
});
