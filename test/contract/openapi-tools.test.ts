/**
 * The OpenAPI document as users' tools read it (DESIGN §2): Redocly's recommended rules find nothing, and the types
 * openapi-typescript generates with its default options, called through openapi-fetch, compile under `--strict` for
 * every documented call — object fields settable, defaulted fields left out, `$select` answers partial, a GET body
 * written back, the negotiate route, an optional route segment left out.
 */
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import openapiTS, { astToString } from 'openapi-typescript';
import ts from 'typescript';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { main } from '../../src/cli/main.js';
import { capturedIo } from '../support/captured-io.js';
import { redoclyLint } from '../support/redocly.js';

const root = resolve(import.meta.dirname, '../..');
const work = mkdtempSync(join(root, '.tmp-openapi-tools-'));
afterAll(() => rmSync(work, { recursive: true, force: true }));

// CRUD with relations and files (clinic), realtime (team-notes), handlers (order-processing), and the fixture with
// all of them plus a cascade, object and defaulted fields and an optional route segment.
const ENTRIES = {
  basic: 'examples/basic.ts',
  clinic: 'examples/clinic/backend.ts',
  'team-notes': 'examples/team-notes/backend.ts',
  'order-processing': 'examples/order-processing.ts',
  'multi-tenant': 'examples/multi-tenant.ts',
  tools: 'test/contract/fixtures/tools/backend.ts',
  tenants: 'test/contract/fixtures/tenants/backend.ts',
  organizations: 'test/contract/fixtures/organizations/backend.ts',
  billing: 'test/contract/fixtures/billing/backend.ts',
} as const;
const files: Record<string, string> = {};

beforeAll(async () => {
  for (const [name, entry] of Object.entries(ENTRIES)) {
    const out = join(work, `${name}.json`);
    const c = capturedIo();
    expect(await main(['openapi', entry, '--out', out], c.io), c.err).toBe(0);
    files[name] = out;
  }
});

describe('redocly lint (recommended)', () => {
  it('finds no error and no warning in the documents of the examples and the fixture', () => {
    const r = redoclyLint(Object.values(files), work);
    const reports = r.reports;
    expect(reports).toHaveLength(Object.keys(files).length);
    const found = reports.flatMap((report) =>
      report.problems.map((p) => `${p.ruleId} at ${p.location[0]?.pointer ?? '?'}: ${p.message}`),
    );
    expect(found).toEqual([]);
    for (const report of reports) expect(report.totals).toMatchObject({ errors: 0, warnings: 0 });
    expect(r.status).toBe(0);
  });
});

const OPTIONS: ts.CompilerOptions = {
  strict: true,
  noEmit: true,
  skipLibCheck: true,
  module: ts.ModuleKind.NodeNext,
  moduleResolution: ts.ModuleResolutionKind.NodeNext,
  target: ts.ScriptTarget.ES2022,
  lib: ['lib.es2022.d.ts', 'lib.dom.d.ts'],
  types: [],
};
/**
 * The users' clients compiled below, by name: the document whose types each imports (openapi-typescript's output
 * for it, written as `<types>.d.ts` beside it) and its source. The describe blocks register them as the tests are
 * collected, and the first test that asks compiles them all in one program, as a user's project compiles its
 * files together: a program per client checked lib.dom's and openapi-fetch's types again in each of eight
 * checkers (docs/performance.md, "The suite"). What a client's test reads is that client's own diagnostics: each
 * is a module of its own, and a program reports a file's diagnostics for that file.
 */
const clients = new Map<string, { doc: string; types: string; source: string }>();
let compiled: Promise<ReadonlyMap<string, string[]>> | undefined;
// Let go after the file: a worker keeps a test file's module scope, and every later file's full garbage collection
// would mark the program again (docs/performance.md, "The suite").
afterAll(() => {
  compiled = undefined;
});

/** The diagnostics of client `name` under tsc --strict (as a user's project compiles it). */
const compile = async (name: string): Promise<string[]> => {
  compiled ??= compileClients();
  const diagnostics = (await compiled).get(name);
  if (!diagnostics) throw new Error(`no client ${name} was registered`);
  return diagnostics;
};

async function compileClients(): Promise<ReadonlyMap<string, string[]>> {
  const types = new Map([...clients.values()].map((c) => [c.types, c.doc]));
  for (const [name, doc] of types) {
    const document = JSON.parse(readFileSync(files[doc]!, 'utf8')) as object;
    writeFileSync(join(work, `${name}.d.ts`), astToString(await openapiTS(document as never)));
  }
  const sources = new Map(
    [...clients].map(([name, c]) => {
      const file = join(work, `${name}.ts`);
      writeFileSync(file, c.source);
      return [name, file] as const;
    }),
  );
  // Parsed as tsc parses (its default since TypeScript 5.3): a JSDoc comment only where a type error can come from
  // it — lib.dom.d.ts is ~2 MB, most of it TSDoc.
  const host = ts.createCompilerHost(OPTIONS);
  host.jsDocParsingMode = ts.JSDocParsingMode.ParseForTypeErrors;
  const program = ts.createProgram([...sources.values()], OPTIONS, host);
  return new Map(
    [...sources].map(([name, file]) => [
      name,
      ts
        .getPreEmitDiagnostics(program, program.getSourceFile(file))
        .map((d) => ts.flattenDiagnosticMessageText(d.messageText, '\n')),
    ]),
  );
}

describe('openapi-typescript (default options) + openapi-fetch under tsc --strict', () => {
  {
    const client = [
      "import createClient from 'openapi-fetch';",
      "import type { paths } from './tools-api.js';",
      "const api = createClient<paths>({ baseUrl: 'http://127.0.0.1:7071' });",
    ];
    const good = [
      ...client,
      'export async function run(): Promise<void> {',
      // An object field set, the defaulted `status` left out (the server fills it).
      "  const created = await api.POST('/api/boards', {",
      "    body: { name: 'Roadmap', address: { city: 'Oslo', floor: 3 }, tags: ['a', 1] },",
      '  });',
      '  if (!created.data) return;',
      '  const status: string = created.data.status; // always there in a read',
      // A GET body written back as it came (ownerId, tenantId included), by PUT and by PATCH.
      "  const read = await api.GET('/api/boards/{id}', { params: { path: { id: created.data.id } } });",
      '  if (!read.data) return;',
      "  await api.PUT('/api/boards/{id}', { params: { path: { id: read.data.id } }, body: read.data });",
      "  await api.PATCH('/api/boards/{id}', { params: { path: { id: read.data.id } }, body: { address: null } });",
      // $select: only the id is sure to be there.
      "  const page = await api.GET('/api/boards', { params: { query: { $select: 'name' } } });",
      '  const first = page.data?.items[0];',
      '  const name: string | undefined = first?.name;',
      // The cascade's 202, file paging, negotiate, the optional segment left out and given.
      "  const del = await api.DELETE('/api/boards/{id}', { params: { path: { id: read.data.id } } });",
      '  if (del.response.status === 202) void del.data;',
      "  await api.GET('/api/attachments', { params: { query: { limit: 10, continuationToken: 'x' } } });",
      "  const n = await api.POST('/api/realtime/negotiate');",
      '  const url: string | undefined = n.data?.url;',
      "  await api.GET('/api/whoami');",
      "  await api.GET('/api/whoami/{tag}', { params: { path: { tag: 'x' } } });",
      "  await api.POST('/api/cards', { body: { boardId: read.data.id, title: 't' } });",
      '  void [status, name, url];',
      '}',
    ].join('\n');
    const bad = [
      ...client,
      'export async function run(): Promise<void> {',
      "  await api.POST('/api/boards', { body: { name: 42 } });",
      "  const page = await api.GET('/api/boards', {});",
      '  const name: string = page.data!.items[0]!.name;',
      '  void name;',
      '}',
    ].join('\n');
    clients.set('good', { doc: 'tools', types: 'tools-api', source: good });
    clients.set('bad', { doc: 'tools', types: 'tools-api', source: bad });
  }
  it('every documented call of the fixture compiles; misuse does not', async () => {
    expect(await compile('good')).toEqual([]);
    const errors = (await compile('bad')).join('\n');
    expect(errors).toMatch(/number.*not assignable to type 'string'/);
    expect(errors).toMatch(/undefined.*not assignable to type 'string'/);
  });

  {
    const client = [
      "import createClient from 'openapi-fetch';",
      "import type { paths } from './tenants-api.js';",
      "const api = createClient<paths>({ baseUrl: 'http://127.0.0.1:7071' });",
    ];
    const good = [
      ...client,
      'export async function run(): Promise<void> {',
      "  const page = await api.GET('/api/tenants', { params: { query: { $first: 10 } } });",
      '  const plan: string | undefined = page.data?.items[0]?.plan;',
      '  const next: string | null | undefined = page.data?.continuationToken;',
      // A record of a plan the config no longer declares says which plan's limits apply (read-only).
      "  const warned: 'plan-undeclared' | undefined = page.data?.items[0]?.planWarning?.code;",
      '  const applied: string | undefined = page.data?.items[0]?.planWarning?.appliedPlan;',
      "  const created = await api.POST('/api/tenants', { body: { id: 'contoso', plan: 'pro' } });",
      '  if (!created.data) return;',
      "  const read = await api.GET('/api/tenants/{id}', { params: { path: { id: created.data.id } } });",
      '  if (!read.data) return;',
      "  const etag = read.response.headers.get('ETag') ?? '*';",
      "  await api.PATCH('/api/tenants/{id}', {",
      "    params: { path: { id: read.data.id }, header: { 'If-Match': etag } },",
      '    body: read.data,',
      '  });',
      "  await api.PATCH('/api/tenants/{id}', {",
      "    params: { path: { id: 'contoso' } },",
      "    body: { status: 'suspended', name: null },",
      '  });',
      "  const me = await api.GET('/api/tenant');",
      "  const status: 'active' | 'suspended' | undefined = me.data?.status;",
      '  const rpm: number | undefined = me.data?.limits.requestsPerMinute;',
      "  const limited = await api.GET('/api/notes');",
      '  if (limited.response.status === 429) void limited.error;',
      '  void [plan, next, status, rpm, warned, applied];',
      '}',
    ].join('\n');
    const bad = [
      ...client,
      'export async function run(): Promise<void> {',
      "  await api.PATCH('/api/tenants/{id}', { params: { path: { id: 'x' } }, body: { status: 'deleted' } });",
      "  await api.POST('/api/tenants', { body: { plan: 'pro' } });",
      '}',
    ].join('\n');
    clients.set('tenants-good', { doc: 'tenants', types: 'tenants-api', source: good });
    clients.set('tenants-bad', { doc: 'tenants', types: 'tenants-api', source: bad });
  }
  it('the tenant routes of a registry backend compile (list, register, read, patch back, api/tenant); misuse does not', async () => {
    expect(await compile('tenants-good')).toEqual([]);
    const errors = (await compile('tenants-bad')).join('\n');
    expect(errors).toMatch(/"deleted"/);
    expect(errors).toMatch(/id/);
  });
});

describe('the membership routes (tenants by membership) under openapi-typescript and openapi-fetch', () => {
  {
    const client = [
      "import createClient from 'openapi-fetch';",
      "import type { paths } from './orgs-api.js';",
      "const api = createClient<paths>({ baseUrl: 'http://127.0.0.1:7071' });",
      "const org = { header: { 'X-Atakora-Tenant': 'acme-k3x9qa' } };",
    ];
    const good = [
      ...client,
      'export async function run(): Promise<void> {',
      "  const created = await api.POST('/api/tenants', { body: { name: 'Acme' } });",
      '  const id: string | undefined = created.data?.id;',
      "  const mine = await api.GET('/api/me/tenants');",
      '  const roles: string[] | undefined = mine.data?.items[0]?.roles;',
      "  const members = await api.GET('/api/tenant/members', { params: { ...org, query: { $first: 10 } } });",
      '  const m = members.data?.items[0];',
      '  if (!m) return;',
      "  await api.PATCH('/api/tenant/members/{userId}', { params: { ...org, path: { userId: m.userId } }, body: m });",
      "  await api.PATCH('/api/tenant/members/{userId}', { params: { ...org, path: { userId: m.userId } }, body: { roles: ['Admin'] } });",
      "  await api.DELETE('/api/tenant/members/{userId}', { params: { ...org, path: { userId: m.userId } } });",
      "  const inv = await api.POST('/api/tenant/invitations', { params: org, body: { email: 'bob@example.com', roles: ['Member'] } });",
      '  const url: string | undefined = inv.data?.acceptUrl;',
      "  await api.GET('/api/tenant/invitations', { params: org });",
      "  await api.GET('/api/tenant/invitations/{id}', { params: { ...org, path: { id: 'x' } } });",
      "  await api.DELETE('/api/tenant/invitations/{id}', { params: { ...org, path: { id: 'x' } } });",
      "  const joined = await api.POST('/api/invitations/accept', { body: { token: 't' } });",
      '  if (joined.response.status === 410) void joined.error;',
      "  await api.GET('/api/notes', { params: org });",
      "  await api.GET('/api/tenant', { params: org });",
      "  await api.POST('/api/realtime/negotiate', { params: org });",
      "  const added = await api.POST('/api/tenant/domains', { params: org, body: { domain: 'contoso.com' } });",
      '  const txt: string | undefined = added.data?.txt.value;',
      "  await api.POST('/api/tenant/domains/{domain}/verify', { params: { ...org, path: { domain: 'contoso.com' } } });",
      "  await api.PATCH('/api/tenant/domains/{domain}', { params: { ...org, path: { domain: 'contoso.com' } }, body: { join: 'auto', role: 'Member' } });",
      "  const all = await api.GET('/api/tenant/domains', { params: org });",
      "  const status: 'pending' | 'verified' | 'unverified' | undefined = all.data?.items[0]?.status;",
      "  await api.DELETE('/api/tenant/domains/{domain}', { params: { ...org, path: { domain: 'contoso.com' } } });",
      "  const linked = await api.PUT('/api/tenant/directory', { params: org, body: { tid: 't1', requireDirectory: true } });",
      '  const required: boolean | undefined = linked.data?.requireDirectory;',
      "  await api.GET('/api/tenant/directory', { params: org });",
      "  await api.DELETE('/api/tenant/directory', { params: org });",
      '  void [id, roles, url, txt, status, required];',
      "  const joinable = await api.GET('/api/me/joinable');",
      "  const mode: 'request' | 'auto' | undefined = joinable.data?.items[0]?.join;",
      "  const asked = await api.POST('/api/tenants/{id}/join', { params: { path: { id: 'acme-k3x9qa' } } });",
      "  const since: string | undefined = asked.data && 'addedOn' in asked.data ? asked.data.addedOn : asked.data?.requestedOn;",
      "  const waiting = await api.GET('/api/tenant/join-requests', { params: { ...org, query: { $first: 10 } } });",
      '  const who: string | undefined = waiting.data?.items[0]?.email;',
      "  await api.POST('/api/tenant/join-requests/{id}/approve', { params: { ...org, path: { id: 'u-9' } } });",
      "  await api.POST('/api/tenant/join-requests/{id}/decline', { params: { ...org, path: { id: 'u-9' } } });",
      '  void [id, roles, url, txt, status, mode, since, who];',
      // The SCIM routes as an identity provider (or a reconciler) calls them: the SCIM token, no organization header.
      "  const scim = { headers: { Authorization: 'Bearer atakora-scim.x' } };",
      "  const found = await api.GET('/api/scim/v2/Users', { ...scim, params: { query: { filter: 'userName eq \"kim@contoso.com\"', startIndex: 1, count: 1 } } });",
      '  const userName: string | undefined = found.data?.Resources[0]?.userName;',
      "  const made = await api.POST('/api/scim/v2/Users', { ...scim, body: { userName: 'kim@contoso.com', active: 'True', roles: [] } });",
      '  const taken: string | undefined = made.error?.scimType;',
      "  await api.PATCH('/api/scim/v2/Users/{id}', { ...scim, params: { path: { id: 'u' } }, body: { Operations: [{ op: 'Replace', path: 'active', value: 'False' }] } });",
      "  await api.PATCH('/api/scim/v2/Groups/{id}', { ...scim, params: { path: { id: 'g' } }, body: { Operations: [{ op: 'Add', path: 'members', value: [{ value: 'u' }] }] } });",
      "  await api.GET('/api/scim/v2/Groups/{id}', { ...scim, params: { path: { id: 'g' }, query: { excludedAttributes: 'members' } } });",
      "  const spc = await api.GET('/api/scim/v2/ServiceProviderConfig', scim);",
      '  const patchable: boolean | undefined = spc.data?.patch.supported;',
      '  void [userName, taken, patchable];',
      '}',
    ].join('\n');
    const bad = [
      ...client,
      'export async function run(): Promise<void> {',
      "  await api.POST('/api/tenant/invitations', { params: org, body: { roles: ['Member'] } });",
      "  await api.POST('/api/tenants', { body: { id: 'acme' } });",
      "  await api.PATCH('/api/tenant/domains/{domain}', { params: { ...org, path: { domain: 'x.com' } }, body: { join: 'always' } });",
      "  await api.POST('/api/scim/v2/Users', { body: { active: true } });",
      '}',
    ].join('\n');
    clients.set('orgs-good', { doc: 'organizations', types: 'orgs-api', source: good });
    clients.set('orgs-bad', { doc: 'organizations', types: 'orgs-api', source: bad });
  }
  it('compile for every documented call, the organization header included; misuse does not', async () => {
    expect(await compile('orgs-good')).toEqual([]);
    const errors = (await compile('orgs-bad')).join('\n');
    expect(errors).toMatch(/email/);
    expect(errors).toMatch(/name/);
    expect(errors).toMatch(/"always"/);
    expect(errors).toMatch(/userName/);
  });

  it('declares the header on every operation that acts in an organization, and not elsewhere', () => {
    const doc = JSON.parse(readFileSync(files['organizations']!, 'utf8')) as {
      paths: Record<
        string,
        Record<string, { parameters?: { $ref?: string }[]; security?: unknown[] }>
      >;
    };
    const without = [
      '/api/me/tenants',
      '/api/me/joinable',
      '/api/invitations/accept',
      // Every plan as a package: the same to everyone signed in, in no organization.
      '/api/plans',
      '/api/tenants',
      '/api/openapi.json',
      '/api/health',
      // A SCIM token names its organization itself.
      '/api/scim/v2',
    ];
    for (const [path, item] of Object.entries(doc.paths))
      for (const [method, op] of Object.entries(item)) {
        if (method === 'parameters' || (Array.isArray(op.security) && op.security.length === 0))
          continue;
        const has = (op.parameters ?? []).some(
          (p) => p.$ref === '#/components/parameters/TenantSelect',
        );
        expect(has, `${method} ${path}`).toBe(
          !without.some((w) => path === w || path.startsWith(`${w}/`)),
        );
      }
    expect(Object.keys(doc.paths)).toEqual(
      expect.arrayContaining([
        '/api/me/tenants',
        '/api/tenant/members',
        '/api/tenant/members/{userId}',
        '/api/tenant/invitations',
        '/api/tenant/invitations/{id}',
        '/api/invitations/accept',
        '/api/tenant/domains',
        '/api/tenant/domains/{domain}',
        '/api/tenant/domains/{domain}/verify',
        '/api/tenant/directory',
        '/api/me/joinable',
        '/api/tenants/{id}/join',
        '/api/tenant/join-requests',
        '/api/tenant/join-requests/{id}/approve',
        '/api/tenant/join-requests/{id}/decline',
      ]),
    );
    // A registry of directories has none of it.
    const directories = readFileSync(files['tenants']!, 'utf8');
    expect(directories).not.toContain('TenantSelect');
    expect(directories).not.toContain('/api/me/tenants');
  });
});

describe('the billing routes (subscriptions drive plans)', () => {
  type Op = {
    parameters?: { name?: string; in?: string; required?: boolean; $ref?: string }[];
    security?: unknown[];
    responses: Record<string, { headers?: Record<string, unknown> }>;
  };
  const read = (name: string) =>
    JSON.parse(readFileSync(files[name]!, 'utf8')) as { paths: Record<string, Record<string, Op>> };

  it('are documented only with subscriptions: the webhook anonymous with its Stripe-Signature, each status and header', () => {
    const { paths } = read('billing');
    const billing = paths['/api/tenant/billing']?.['get'];
    const checkout = paths['/api/tenant/billing/checkout']?.['post'];
    const portal = paths['/api/tenant/billing/portal']?.['post'];
    const webhook = paths['/api/billing/stripe']?.['post'];
    expect(Object.keys(billing?.responses ?? {})).toEqual(
      expect.arrayContaining(['200', '401', '403', '429', '503']),
    );
    expect(Object.keys(checkout?.responses ?? {})).toEqual(
      expect.arrayContaining(['200', '400', '401', '403', '413', '415', '429', '503']),
    );
    expect(Object.keys(portal?.responses ?? {})).toEqual(
      expect.arrayContaining(['200', '401', '403', '409', '429', '503']),
    );
    for (const op of [billing, checkout, portal]) {
      expect(Object.keys(op?.responses['200']?.headers ?? {})).toContain('Cache-Control');
      expect(op?.parameters).toContainEqual({ $ref: '#/components/parameters/TenantSelect' });
    }
    expect(webhook?.security).toEqual([]);
    expect(webhook?.parameters).toContainEqual(
      expect.objectContaining({ name: 'Stripe-Signature', in: 'header', required: true }),
    );
    expect(Object.keys(webhook?.responses ?? {}).sort()).toEqual(['200', '400', '503']);
    // Without subscriptions (a membership backend selling nothing), none of it.
    const orgs = read('organizations').paths;
    expect(Object.keys(orgs).filter((p) => p.includes('billing'))).toEqual([]);
  });

  {
    const client = [
      "import createClient from 'openapi-fetch';",
      "import type { paths } from './billing-api.js';",
      "const api = createClient<paths>({ baseUrl: 'http://127.0.0.1:7071' });",
      "const org = { header: { 'X-Atakora-Tenant': 'acme-k3x9qa' } };",
    ];
    const good = [
      ...client,
      'export async function run(): Promise<void> {',
      "  const c = await api.POST('/api/tenant/billing/checkout', { params: org, body: { plan: 'pro' } });",
      '  const url: string | undefined = c.data?.url;',
      "  const p = await api.POST('/api/tenant/billing/portal', { params: org });",
      '  const portal: string | undefined = p.data?.url;',
      "  const b = await api.GET('/api/tenant/billing', { params: org });",
      '  const status: string | null | undefined = b.data?.status;',
      '  const end: string | undefined = b.data?.subscription?.currentPeriodEnd;',
      "  const w = await api.POST('/api/billing/stripe', { params: { header: { 'Stripe-Signature': 't=1,v1=x' } }, body: {} });",
      "  const outcome: 'applied' | 'duplicate' | 'ignored' | 'refused' | undefined = w.data?.outcome;",
      '  void [url, portal, status, end, outcome];',
      '}',
    ].join('\n');
    const bad = [
      ...client,
      'export async function run(): Promise<void> {',
      "  await api.POST('/api/tenant/billing/checkout', { params: org, body: { price: 'price_x' } });",
      "  await api.POST('/api/billing/stripe', { body: {} });",
      '}',
    ].join('\n');
    clients.set('billing-good', { doc: 'billing', types: 'billing-api', source: good });
    clients.set('billing-bad', { doc: 'billing', types: 'billing-api', source: bad });
  }
  it('compile under openapi-typescript and openapi-fetch; misuse does not', async () => {
    expect(await compile('billing-good')).toEqual([]);
    const errors = (await compile('billing-bad')).join('\n');
    expect(errors).toMatch(/plan/);
    expect(errors).toMatch(/Stripe-Signature|params/);
  });
});

describe('the document of a backend with a tenant registry', () => {
  it('declares the TenantAdmin routes, and the limits answers with the RateLimit headers on every signed-in operation', () => {
    const doc = JSON.parse(readFileSync(files['tenants']!, 'utf8')) as {
      paths: Record<
        string,
        Record<string, { responses: Record<string, unknown>; security?: unknown[] }>
      >;
      components: {
        responses: Record<string, { headers?: Record<string, unknown> }>;
        headers: object;
      };
    };
    expect(Object.keys(doc.paths)).toEqual(
      expect.arrayContaining(['/api/tenant', '/api/tenants', '/api/tenants/{id}']),
    );
    expect(Object.keys(doc.paths['/api/tenants/{id}']!.patch!.responses)).toEqual(
      expect.arrayContaining(['200', '400', '401', '403', '404', '409', '412']),
    );
    const problem = (status: number) => ({
      $ref: `#/components/responses/Problem${String(status)}`,
    });
    for (const [path, item] of Object.entries(doc.paths))
      for (const [method, op] of Object.entries(item)) {
        if (method === 'parameters' || (Array.isArray(op.security) && op.security.length === 0))
          continue;
        expect(op.responses['429'], `${method} ${path}`).toEqual(problem(429));
        if (['post', 'put', 'patch'].includes(method))
          expect(op.responses['403'], `${method} ${path}`).toEqual(problem(403));
      }
    expect(Object.keys(doc.components.responses['Problem429']!.headers ?? {})).toEqual([
      'Retry-After',
      'RateLimit-Policy',
      'RateLimit',
    ]);
    const text = JSON.stringify(doc);
    for (const code of [
      'rate-limited',
      'quota-exceeded',
      'storage-quota-exceeded',
      'too-many-connections',
    ])
      expect(text).toContain(`urn:atakora:problem:${code}`);
    // Without a registry: no tenant routes, no RateLimit headers.
    const plain = JSON.parse(readFileSync(files['tools']!, 'utf8')) as typeof doc;
    expect(Object.keys(plain.paths).filter((p) => p.startsWith('/api/tenant'))).toEqual([]);
    expect(Object.keys(plain.components.responses['Problem429']!.headers ?? {})).toEqual([
      'Retry-After',
    ]);
  });
});
