/**
 * Organization API keys attacked from outside, as the held-out integrations bar of issue #123 would (DESIGN §2,
 * "Integrations": "the per-organization bound", "in exactly its organization with its role", "an expired, revoked …
 * key is 401", "revocation on every instance within 30 s"): two instances of the app over the same containers on the
 * local Cosmos DB server, each with its own caches, asked only through the routes DESIGN names.
 */
import type { HttpFunctionOptions, HttpHandler } from '@azure/functions';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import type { RuntimeAuth, RuntimeEntity } from '../../src/model/runtime-manifest.js';
import { cosmosAuditStore } from '../../src/runtime/audit/audit-store.js';
import { noteEntity } from './support/entities.js';
import { invoke } from './support/http.js';
import { registerNotesApp } from './support/notes-app.js';
import { type LocalCosmos, startLocalCosmos } from './support/local-cosmos.js';
import { code, member, record, reseed, who } from './support/organization-calls.js';
import { type OrganizationsStore, organizationsStore } from './support/organizations-app.js';
import { membershipAuth } from './support/registry-auth.js';

const BOUND = 3;
const policy: RuntimeAuth = membershipAuth(
  'home-dir',
  { plans: { pro: { features: ['audit', 'api-keys'] } }, defaultPlan: 'pro' },
  { createTenants: 'any-user', audit: 'audit', apiKeys: { perOrganization: BOUND } },
);
const notes: RuntimeEntity = { ...noteEntity, access: [{ allow: 'role', role: 'Admin' }] };

let cosmos: LocalCosmos;
let c: OrganizationsStore;
let now = Date.parse('2026-03-02T10:00:00.000Z');
/** Two instances of one app (each its own key and registry caches), as two workers of the Function App. */
const instances = [new Map<string, HttpFunctionOptions>(), new Map<string, HttpFunctionOptions>()];

beforeAll(async () => {
  cosmos = await startLocalCosmos();
  c = await organizationsStore(cosmos);
  const deps = { audit: { store: cosmosAuditStore(c.audit) }, tenantRegistry: { now: () => now } };
  for (const fns of instances)
    registerNotesApp(fns, policy, c.notes, deps, { backendId: 'orgs', entities: [notes] });
});
afterAll(async () => cosmos?.stop());
beforeEach(async () => {
  now += 3_600_000;
  await reseed(
    c,
    [record('acme', 'pro'), record('globex', 'pro')],
    [
      member('acme', 'ada', ['Owner']),
      member('acme', 'al', ['Admin']),
      member('globex', 'gus', ['Owner']),
    ],
  );
});

type Opts = { body?: unknown; params?: Record<string, string> };
const on = (
  i: number,
  headers: Record<string, string>,
  name: string,
  method: string,
  path: string,
  o: Opts = {},
) => {
  const f = instances[i]?.get(name);
  if (!f) throw new Error(`no function ${name}`);
  return invoke(f.handler as HttpHandler, method, path, { headers, ...o });
};
const person = (user: string, org: string) => ({ ...who(user), 'x-atakora-tenant': org });
const bearer = (key: string) => ({ authorization: `Bearer ${key}` });
const create = (i: number, user: string, org: string, body: object) =>
  on(i, person(user, org), 'membership-api-keys', 'POST', 'tenant/api-keys', { body });
const listed = async (org: string, user: string) => {
  const r = await on(0, person(user, org), 'membership-api-keys', 'GET', 'tenant/api-keys');
  expect(r.status).toBe(200);
  return r.body.items as { id: string }[];
};

describe('the per-organization bound', () => {
  it('holds under concurrent creation on two instances: never more than perOrganization keys', async () => {
    const answers = await Promise.all(
      Array.from({ length: 8 }, (_, n) =>
        create(n % 2, n % 3 === 0 ? 'al' : 'ada', 'acme', {
          name: `k${String(n)}`,
          role: 'Admin',
        }),
      ),
    );
    const statuses = answers.map((r) => r.status).sort();
    expect(answers.filter((r) => r.status >= 500)).toEqual([]);
    for (const r of answers.filter((a) => a.status !== 201))
      expect([r.status, code(r)]).toEqual([409, 'api-key-limit']);
    expect(statuses.filter((s) => s === 201)).toHaveLength(BOUND);
    expect(await listed('acme', 'ada')).toHaveLength(BOUND);
    // Every key answered 201 works; none of the refused made one that works.
    for (const r of answers.filter((a) => a.status === 201))
      expect(
        (await on(1, bearer(String(r.body.key)), 'NoteApi-collection', 'GET', 'notes')).status,
      ).toBe(200);
    // Another organization's bound is its own.
    expect((await create(0, 'gus', 'globex', { name: 'g', role: 'Member' })).status).toBe(201);
  });

  it('frees a place on revocation: revoke one at the bound, create one, and the bound still holds', async () => {
    const made = [];
    for (let n = 0; n < BOUND; n++) {
      const r = await create(n % 2, 'ada', 'acme', { name: `k${String(n)}`, role: 'Member' });
      expect(r.status).toBe(201);
      made.push(String(r.body.id));
    }
    expect(code(await create(1, 'ada', 'acme', { name: 'over', role: 'Member' }))).toBe(
      'api-key-limit',
    );
    const id = made[0] ?? '';
    const revoked = await on(
      1,
      person('al', 'acme'),
      'membership-api-key',
      'DELETE',
      `tenant/api-keys/${id}`,
      {
        params: { id },
      },
    );
    expect(revoked.status).toBe(204);
    const again = await Promise.all(
      [0, 1, 0].map((i) => create(i, 'ada', 'acme', { name: 'again', role: 'Member' })),
    );
    expect(again.map((r) => r.status).sort()).toEqual([201, 409, 409]);
    expect(await listed('acme', 'ada')).toHaveLength(BOUND);
  });
});

describe('revocation', () => {
  it('by six calls at once is one 204 and five 404s, giving back one place', async () => {
    const made = [];
    for (let n = 0; n < BOUND; n++) {
      const r = await create(0, 'ada', 'acme', { name: `k${String(n)}`, role: 'Admin' });
      made.push({ id: String(r.body.id), key: String(r.body.key) });
    }
    const id = made[0]?.id ?? '';
    const revoked = await Promise.all(
      [0, 1, 0, 1, 0, 1].map((i) =>
        on(
          i,
          person(i ? 'al' : 'ada', 'acme'),
          'membership-api-key',
          'DELETE',
          `tenant/api-keys/${id}`,
          {
            params: { id },
          },
        ),
      ),
    );
    expect(revoked.map((r) => r.status).sort()).toEqual([204, 404, 404, 404, 404, 404]);
    const again = await Promise.all(
      [0, 1, 0].map((i) => create(i, 'ada', 'acme', { name: 'again', role: 'Member' })),
    );
    expect(again.map((r) => r.status).sort()).toEqual([201, 409, 409]);
    expect(await listed('acme', 'ada')).toHaveLength(BOUND);
    const log = await on(0, person('ada', 'acme'), 'tenant-audit', 'GET', 'tenant/audit');
    const revocations = (log.body.items as { action: string; target: string }[]).filter(
      (e) => e.action === 'api-key.revoked',
    );
    expect(revocations.map((e) => e.target)).toEqual([id]);
  });
});

describe('a key confined to its organization', () => {
  it('never reads, changes or deletes another organization’s item by its id (404, the item unchanged)', async () => {
    const theirs = await create(0, 'gus', 'globex', { name: 'g', role: 'Admin' });
    const mine = await create(0, 'ada', 'acme', { name: 'a', role: 'Admin' });
    const note = await on(
      0,
      bearer(String(theirs.body.key)),
      'NoteApi-collection',
      'POST',
      'notes',
      {
        body: { title: 'globex only' },
      },
    );
    expect(note.status).toBe(201);
    const id = String(note.body.id);
    const item = (method: string, body?: object) =>
      on(1, bearer(String(mine.body.key)), 'NoteApi-item', method, `notes/${id}`, {
        params: { id },
        ...(body ? { body } : {}),
      });
    for (const [method, body] of [
      ['GET'],
      ['PATCH', { title: 'x' }],
      ['PUT', { title: 'x' }],
      ['DELETE'],
    ] as const) {
      const r = await item(method, body);
      expect(r.status, method).toBe(404);
    }
    const still = await on(
      0,
      bearer(String(theirs.body.key)),
      'NoteApi-item',
      'GET',
      `notes/${id}`,
      {
        params: { id },
      },
    );
    expect([still.status, still.body.title]).toEqual([200, 'globex only']);
  });
});

describe('the people routes', () => {
  it('every registered route a key may not take refuses it, whatever the method: never a 2xx or a 5xx', async () => {
    const k = await create(0, 'ada', 'acme', { name: 'everywhere', role: 'Admin' });
    /** What a key may reach (docs/integrations.md): the data, GET api/tenant, the audit log, the health probe. */
    const open =
      /^(?:(?:GET|POST|PUT|PATCH|DELETE) notes(?:\/\{id\})?|GET tenant|GET tenant\/audit|GET health)$/;
    const wrong: string[] = [];
    let people = 0;
    for (const [name, f] of instances[0] ?? []) {
      const route = String(f.route ?? name);
      const params = Object.fromEntries(
        [...route.matchAll(/\{\*?([^}:?]+)[^}]*\}/g)].map((m) => [m[1] ?? '', 'x1']),
      );
      for (const method of (f.methods ?? ['GET']) as string[]) {
        if (open.test(`${method} ${route}`)) continue;
        const r = await on(0, bearer(String(k.body.key)), name, method, route, {
          params,
          ...(method === 'GET' || method === 'DELETE' ? {} : { body: {} }),
        });
        const answer = `${String(r.status)} ${code(r)}`;
        // A person's route: 403 api-key-not-allowed (405 for a method it has not). SCIM takes its own tokens only
        // (401); an invitation's preview is public and names an invitation by its token (404 for none).
        const fine =
          answer === '403 api-key-not-allowed' ||
          r.status === 405 ||
          (route.startsWith('scim/') && r.status === 401) ||
          (route === 'invitations/preview' && answer === '404 not-found');
        if (answer === '403 api-key-not-allowed') people += 1;
        if (!fine) wrong.push(`${method} ${route}: ${answer}`);
      }
    }
    expect(wrong).toEqual([]);
    // members, invitations, domains, directory, API keys, webhooks, agents, api/me/*, api/tenants…: all of them.
    expect(people).toBeGreaterThan(40);
  });
});

describe('expiry', () => {
  it('is refused at its expiry on an instance that read the key moments before (not 30 s later)', async () => {
    const k = await create(0, 'ada', 'acme', { name: 'short', role: 'Admin', expiresInDays: 1 });
    expect(k.status).toBe(201);
    const call = () => on(1, bearer(String(k.body.key)), 'NoteApi-collection', 'GET', 'notes');
    now = Date.parse(String(k.body.expiresOn)) - 1_000;
    expect((await call()).status).toBe(200);
    now += 1_000;
    const r = await call();
    expect([r.status, code(r)]).toEqual([401, 'api-key-invalid']);
  });
});
