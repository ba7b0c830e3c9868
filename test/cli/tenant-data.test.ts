/**
 * `atakora tenant export | import | delete` against a real local Cosmos DB server (@vercel/cosmosdb-server over
 * verified TLS, the real @azure/cosmos client), three tenants' data in an isolated /tenantId container, an
 * isolated /id container and a shared one, plus the registry: exact contents, nothing of another tenant, round
 * trips, copies, an interrupted erasure resumed, and every command run twice.
 */
import { mkdtempSync, readFileSync, rmSync, writeFileSync, existsSync } from 'node:fs';
import { createHash } from 'node:crypto';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Container } from '@azure/cosmos';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { loopbackCertificate } from '../../src/cli/dev/loopback/loopback-certificate.js';
import { removeDevState } from '../../src/cli/shared/dev-state.js';
import { tenantTarget } from '../../src/cli/tenant/connect.js';
import { eraseMarkerFile, eraseTenant } from '../../src/cli/tenant/erase.js';
import { startTlsCosmos, type TlsCosmos } from '../support/tls-cosmos.js';
import { localDevState } from './support/local-dev-state.js';
import { cliOnStandIn } from './support/cosmos-cli.js';

const entry = 'test/cli/fixtures/tenant-backend.ts';
const A = '72f988bf-0000-4000-8000-0000000000aa';
const B = '72f988bf-0000-4000-8000-0000000000bb';
const C = '72f988bf-0000-4000-8000-0000000000cc';
const D = '72f988bf-0000-4000-8000-0000000000dd';
const SYSTEM = ['_rid', '_self', '_etag', '_attachments', '_ts'];

/** Three tenants' items, as the runtime stores them. */
const DATA = {
  notes: [
    { id: 'n1', tenantId: A, ownerId: 'uA1', text: 'v1 note of A' },
    { id: 'n2', tenantId: A, ownerId: 'uA2', body: 'second', pinned: true, _atakoraV: 2 },
    {
      id: 'n1',
      tenantId: B,
      ownerId: 'uB1',
      body: 'same id, tenant B',
      pinned: false,
      _atakoraV: 2,
    },
    { id: 'n3', tenantId: C, ownerId: 'uC1', body: 'of C', pinned: false, _atakoraV: 2 },
  ],
  tasks: [
    { id: 't1', tenantId: A, ownerId: 'uA1', title: 'A one' },
    { id: 't2', tenantId: A, ownerId: 'uA2', title: 'A two' },
    { id: 't3', tenantId: B, ownerId: 'uB1', title: 'B three' },
    { id: 't4', tenantId: C, ownerId: 'uC1', title: 'C four' },
  ],
  products: [
    { id: 'p1', ownerId: 'uA1', name: 'made by a user of A' },
    { id: 'p2', ownerId: 'uB1', name: 'made by a user of B' },
    { id: 'p3', ownerId: 'home-admin', name: 'the publisher’s' },
    // Created by a user of A who owns nothing else: the runtime's hidden creator directory makes it A's.
    { id: 'p4', ownerId: 'uA9', name: 'made by another user of A', _atakoraTid: A },
  ],
  tenants: [
    {
      id: A,
      plan: 'pro',
      status: 'active',
      billing: { stripeCustomerId: 'cus_TenantA1' },
      createdOn: '2026-01-01T00:00:00Z',
      updatedOn: '2026-01-01T00:00:00Z',
    },
    {
      id: B,
      plan: 'free',
      status: 'active',
      createdOn: '2026-01-02T00:00:00Z',
      updatedOn: '2026-01-02T00:00:00Z',
    },
  ],
} as const;

const dir = mkdtempSync(join(tmpdir(), 'atakora-tenant-'));
const tls = loopbackCertificate(dir);
let local: TlsCosmos;
const c: Record<keyof typeof DATA, Container> = {} as never;

const strip = (i: Record<string, unknown>) =>
  Object.fromEntries(Object.entries(i).filter(([k]) => !SYSTEM.includes(k)));
const all = async (container: Container) =>
  (await container.items.query<Record<string, unknown>>('SELECT * FROM c').fetchAll()).resources
    .map(strip)
    .sort((x, y) =>
      `${String(x['tenantId'])}/${String(x['id'])}`.localeCompare(
        `${String(y['tenantId'])}/${String(y['id'])}`,
      ),
    );
const snapshot = async () => ({
  notes: await all(c.notes),
  tasks: await all(c.tasks),
  products: await all(c.products),
  tenants: await all(c.tenants),
});
const of = (items: readonly Record<string, unknown>[], t: string) =>
  items.filter((i) => i['tenantId'] === t);
const lines = (file: string) =>
  readFileSync(file, 'utf8')
    .split('\n')
    .filter((l) => l !== '')
    .map((l) => JSON.parse(l) as Record<string, unknown>);

const saved = { ...process.env };
const run = cliOnStandIn(() => local.endpoint, tls.certFile, 'tenant');

beforeAll(async () => {
  local = await startTlsCosmos(tls);
  const make = (db: string, id: string, pk: string) => local.container(db, id, pk);
  c.notes = await make('note-db', 'note', '/tenantId');
  c.tasks = await make('task-db', 'task', '/id');
  c.products = await make('product-db', 'product', '/id');
  c.tenants = await make('atakora', 'tenants', '/id');
});
beforeEach(async () => {
  for (const k of Object.keys(DATA) as (keyof typeof DATA)[]) {
    for (const i of await c[k].items
      .query<{ id: string; tenantId?: string }>('SELECT * FROM c')
      .fetchAll()
      .then((r) => r.resources))
      await c[k].item(i.id, k === 'notes' ? i.tenantId : i.id).delete();
    for (const i of DATA[k]) await c[k].items.create({ ...i });
  }
});
afterEach(() => {
  for (const k of [
    'ATAKORA_COSMOS_ENDPOINT',
    'ATAKORA_COSMOS_CA',
    'ATAKORA_ARM_TOKEN',
    'TENANT_FIXTURE_ENV',
  ])
    if (saved[k] === undefined) delete process.env[k];
    else process.env[k] = saved[k];
});
afterAll(async () => {
  await local.stop();
  rmSync(dir, { recursive: true, force: true });
});

describe('atakora tenant export', () => {
  it('writes exactly the tenant’s items as stored, and nothing of another tenant; twice the same files', async () => {
    const out = join(dir, 'export-a');
    const first = await run('export', entry, A, '--out', out, '--environment', 'test');
    expect(first.err).toMatch(/tenant export .*: NoteApi 2 item\(s\)/);
    expect(first.code).toBe(0);
    expect(first.out).toMatch(/Exported tenant .*: 6 item\(s\) of 3 component\(s\)/);
    const notes = lines(join(out, 'items/NoteApi.ndjson'));
    // As stored: the v1 item keeps its old shape (no version field), the v2 one its hidden version.
    expect(notes).toEqual([DATA.notes[0], DATA.notes[1]]);
    expect(lines(join(out, 'items/TaskApi.ndjson'))).toEqual([DATA.tasks[0], DATA.tasks[1]]);
    // The shared catalogue: only what A's users own or created.
    expect(lines(join(out, 'items/ProductApi.ndjson'))).toEqual([
      DATA.products[0],
      DATA.products[3],
    ]);
    for (const f of ['NoteApi', 'TaskApi', 'ProductApi'])
      for (const item of lines(join(out, `items/${f}.ndjson`)))
        for (const k of SYSTEM) expect(item).not.toHaveProperty(k);
    const text = readFileSync(join(out, 'items/NoteApi.ndjson'), 'utf8');
    expect(text).not.toContain(B);
    const manifest = JSON.parse(readFileSync(join(out, 'manifest.json'), 'utf8')) as Record<
      string,
      any
    >;
    expect(manifest).toMatchObject({
      format: 1,
      backendId: 'tenanted',
      environment: 'test',
      tenant: A,
      owners: ['uA1', 'uA2'],
      registry: DATA.tenants[0],
      components: {
        NoteApi: { schemaVersion: 2, items: 2, tenancy: 'isolated' },
        TaskApi: { schemaVersion: 1, items: 2, tenancy: 'isolated' },
        ProductApi: { schemaVersion: 1, items: 2, tenancy: 'shared' },
      },
    });
    expect(manifest['components'].NoteApi.sha256).toBe(
      createHash('sha256').update(text).digest('hex'),
    );
    expect(Date.parse(manifest['exportedAt'])).not.toBeNaN();
    const before = ['NoteApi', 'TaskApi', 'ProductApi'].map((f) =>
      readFileSync(join(out, `items/${f}.ndjson`), 'utf8'),
    );
    expect((await run('export', entry, A, '--out', out, '--environment', 'test')).code).toBe(0);
    expect(
      ['NoteApi', 'TaskApi', 'ProductApi'].map((f) =>
        readFileSync(join(out, `items/${f}.ndjson`), 'utf8'),
      ),
    ).toEqual(before);
    // A tenant without users of its own exports none of the shared catalogue.
    const outC = join(dir, 'export-c');
    expect((await run('export', entry, C, '--out', outC, '--environment', 'test')).code).toBe(0);
    expect(lines(join(outC, 'items/ProductApi.ndjson'))).toEqual([]);
    expect(lines(join(outC, 'items/NoteApi.ndjson'))).toEqual([DATA.notes[3]]);
  });

  it('--local reads the running atakora dev’s server (its state file)', async () => {
    const file = localDevState(entry, local.endpoint, tls.cert);
    try {
      const out = join(dir, 'export-local');
      const r = await run('export', entry, B, '--out', out, '--local');
      expect(r.code).toBe(0);
      expect(lines(join(out, 'items/NoteApi.ndjson'))).toEqual([DATA.notes[2]]);
      expect(lines(join(out, 'items/ProductApi.ndjson'))).toEqual([DATA.products[1]]);
    } finally {
      removeDevState(file);
    }
    const gone = await run('export', entry, B, '--out', join(dir, 'x'), '--local');
    expect(gone.code).toBe(1);
    expect(gone.err).toContain('TENANT_DEV_NOT_RUNNING');
  });
});

describe('atakora tenant delete and import', () => {
  it('export → delete → import: the tenant comes back (through the migrations), the others never change', async () => {
    const start = await snapshot();
    const out = join(dir, 'round-trip');
    expect((await run('export', entry, A, '--out', out, '--environment', 'test')).code).toBe(0);
    const del = await run('delete', entry, A, '--environment', 'test', '--yes');
    expect(del.code).toBe(0);
    expect(del.out).toMatch(/Erased tenant .* from tenanted \(test\)/);
    expect(del.out).toMatch(
      /NoteApi: 2 item\(s\)\n {2}ProductApi: 2 item\(s\)\n {2}TaskApi: 2 item\(s\)/,
    );
    expect(del.out).toMatch(/registry record: deleted\n {2}total: 6 item\(s\)/);
    const erased = await snapshot();
    expect(of(erased.notes, A)).toEqual([]);
    expect(of(erased.tasks, A)).toEqual([]);
    expect(erased.products.map((p) => p['id'])).toEqual(['p2', 'p3']);
    expect(erased.tenants.map((t) => t['id'])).toEqual([B]);
    for (const t of [B, C]) {
      expect(of(erased.notes, t)).toEqual(of(start.notes, t));
      expect(of(erased.tasks, t)).toEqual(of(start.tasks, t));
    }
    // Twice: nothing more to erase.
    const again = await run('delete', entry, A, '--environment', 'test', '--yes');
    expect(again.code).toBe(0);
    expect(again.out).toMatch(/total: 0 item\(s\)/);

    const imp = await run('import', entry, '--from', out, '--environment', 'test');
    expect(imp.code).toBe(0);
    expect(imp.out).toMatch(/Imported into tenant .*: 6 created, 0 already there, 0 skipped/);
    expect(imp.out).toContain('registry record created');
    // Its Stripe customer is not written again (an archive never bills anyone), and the operator is told how to.
    expect(imp.out).toContain(
      `registry record: its Stripe customer cus_TenantA1 was left out (an archive bills no one): ` +
        `atakora tenant set ${entry} ${A} --environment test --stripe-customer cus_TenantA1 where this tenant is billed`,
    );
    const back = await snapshot();
    expect(back.tasks).toEqual(start.tasks);
    // The shared items come back as A's: the one stored before the creator stamp now carries it.
    expect(back.products).toEqual(
      start.products.map((p) => (p['id'] === 'p1' ? { ...p, _atakoraTid: A } : p)),
    );
    // The record comes back as the registration it was (plan, status), dated by this import, not by the archive,
    // and without its customer.
    expect(back.tenants.map(({ createdOn: _c, updatedOn: _u, ...r }) => r)).toEqual(
      start.tenants.map(({ createdOn: _c, updatedOn: _u, billing: _b, ...r }) => r),
    );
    const reimported = back.tenants.find((t) => t['id'] === A);
    expect(reimported?.['createdOn']).toBe(reimported?.['updatedOn']);
    expect(Date.parse(String(reimported?.['createdOn']))).toBeGreaterThan(Date.now() - 600_000);
    // The version-1 note came back through the migration to version 2; the rest as they were.
    expect(of(back.notes, A)).toEqual([
      { id: 'n1', tenantId: A, ownerId: 'uA1', body: 'v1 note of A', pinned: false, _atakoraV: 2 },
      DATA.notes[1],
    ]);
    for (const t of [B, C]) expect(of(back.notes, t)).toEqual(of(start.notes, t));
    const twice = await run('import', entry, '--from', out, '--environment', 'test');
    expect(twice.out).toMatch(/0 created, 6 already there/);
    expect(await snapshot()).toEqual(back);
  });

  it('imports into another tenant id: a copy; ids another tenant holds in /id containers are skipped', async () => {
    const start = await snapshot();
    const out = join(dir, 'copy');
    expect((await run('export', entry, A, '--out', out, '--environment', 'test')).code).toBe(0);
    const r = await run('import', entry, '--from', out, '--tenant', D, '--environment', 'test');
    expect(r.code).toBe(0);
    expect(r.out).toMatch(
      /Imported into tenant .*dd \(test\): 2 created, 2 already there, 2 skipped/,
    );
    expect(r.out).toMatch(/TaskApi: skipped ids held by another tenant, left untouched: t1, t2/);
    const after = await snapshot();
    expect(of(after.notes, D).map((n) => [n['id'], n['ownerId'], n['_atakoraV']])).toEqual([
      ['n1', 'uA1', 2],
      ['n2', 'uA2', 2],
    ]);
    expect(of(after.tasks, D)).toEqual([]);
    for (const t of [A, B, C]) {
      expect(of(after.notes, t)).toEqual(of(start.notes, t));
      expect(of(after.tasks, t)).toEqual(of(start.tasks, t));
    }
    expect(after.products).toEqual(start.products);
    expect(after.tenants.find((t) => t['id'] === D)).toMatchObject({
      plan: 'pro',
      status: 'active',
    });
  });

  it('a changed export is refused before anything is written', async () => {
    const out = join(dir, 'tampered');
    expect((await run('export', entry, A, '--out', out, '--environment', 'test')).code).toBe(0);
    await run('delete', entry, A, '--environment', 'test', '--yes');
    const before = await snapshot();
    writeFileSync(
      join(out, 'items/TaskApi.ndjson'),
      `${JSON.stringify({ id: 't9', tenantId: A, title: 'x' })}\n`,
    );
    const r = await run('import', entry, '--from', out, '--environment', 'test');
    expect(r.code).toBe(1);
    expect(r.err).toContain('TENANT_EXPORT_INVALID');
    expect(r.err).toMatch(/TaskApi\.ndjson is not the file exported/);
    expect(await snapshot()).toEqual(before);
    const none = await run(
      'import',
      entry,
      '--from',
      join(dir, 'nowhere'),
      '--environment',
      'test',
    );
    expect(none.err).toMatch(/TENANT_EXPORT_INVALID.*manifest\.json does not exist/);
  });

  it('refuses without --yes, and prod without --allow-production, before anything is read', async () => {
    const before = await snapshot();
    const r = await run('delete', entry, A, '--environment', 'test');
    expect(r.code).toBe(1);
    expect(r.err).toContain('TENANT_COMMAND_REFUSED');
    process.env['TENANT_FIXTURE_ENV'] = 'prod';
    const prod = await run('delete', entry, A, '--environment', 'prod', '--yes');
    expect(prod.code).toBe(1);
    expect(prod.err).toMatch(/TENANT_COMMAND_REFUSED.*--allow-production/);
    expect(await snapshot()).toEqual(before);
    expect(
      (await run('export', entry, 'not a tenant!', '--out', dir, '--environment', 'test')).code,
    ).toBe(1);
    expect((await run('export', entry, A, '--environment', 'test')).code).toBe(2);
  });

  it('an erasure stopped after two deletes goes on from its marker; the receipt counts what was there', async () => {
    const start = await snapshot();
    process.env['ATAKORA_COSMOS_ENDPOINT'] = local.endpoint;
    process.env['ATAKORA_COSMOS_CA'] = tls.certFile;
    process.env['ATAKORA_ARM_TOKEN'] = 'not-a-jwt';
    const cwd = mkdtempSync(join(dir, 'cwd-'));
    const target = await tenantTarget(entry, { environment: 'test' }, 'delete');
    try {
      const stop = new AbortController();
      let deleted = 0;
      await expect(
        eraseTenant(target, A, {
          cwd,
          signal: stop.signal,
          onDeleted: () => {
            if (++deleted === 2) stop.abort();
          },
        }),
      ).rejects.toThrow(/interrupted/);
      expect(existsSync(eraseMarkerFile(cwd, target, A))).toBe(true);
      const mid = await snapshot();
      expect(of(mid.notes, A).length + of(mid.tasks, A).length).toBeLessThan(4);
      expect(mid.tenants.map((t) => t['id'])).toEqual([A, B]);
      const receipt = await eraseTenant(target, A, { cwd });
      expect(receipt.resumed).toBe(true);
      expect(receipt.items).toEqual({ NoteApi: 2, ProductApi: 2, TaskApi: 2 });
      expect(receipt.registryRecord).toBe(true);
      expect(existsSync(eraseMarkerFile(cwd, target, A))).toBe(false);
    } finally {
      target.dispose();
    }
    const end = await snapshot();
    expect(of(end.notes, A)).toEqual([]);
    expect(of(end.tasks, A)).toEqual([]);
    expect(end.products.map((p) => p['id'])).toEqual(['p2', 'p3']);
    for (const t of [B, C]) {
      expect(of(end.notes, t)).toEqual(of(start.notes, t));
      expect(of(end.tasks, t)).toEqual(of(start.tasks, t));
    }
  });
});

describe('atakora tenant import checks the archive as tenant add would', () => {
  /** An export of A, then A erased: what is left to import into. */
  const exported = async (name: string) => {
    const out = join(dir, name);
    expect((await run('export', entry, A, '--out', out, '--environment', 'test')).code).toBe(0);
    expect((await run('delete', entry, A, '--environment', 'test', '--yes')).code).toBe(0);
    return out;
  };
  const editManifest = (out: string, edit: (m: Record<string, any>) => void) => {
    const file = join(out, 'manifest.json');
    const m = JSON.parse(readFileSync(file, 'utf8')) as Record<string, any>;
    edit(m);
    writeFileSync(file, JSON.stringify(m, null, 2));
  };

  it('refuses a record with an undeclared plan, an unknown field, a name with escapes, writing nothing', async () => {
    const out = await exported('bad-records');
    const before = await snapshot();
    const cases: [string, (r: Record<string, unknown>) => void, RegExp][] = [
      ['plan', (r) => (r['plan'] = 'platinum'), /plan "platinum" is not one of: free, pro/],
      ['field', (r) => (r['tenantAdmin'] = true), /tenantAdmin is not a field of a registration/],
      [
        'name',
        (r) => (r['name'] = 'Contoso\u001b]0;owned\u0007\u001b[2J'),
        /name must not hold control/,
      ],
      ['status', (r) => (r['status'] = 'deleted'), /status must be one of: active, suspended/],
      ['id', (r) => (r['id'] = B), /is not the exported tenant/],
    ];
    const original = readFileSync(join(out, 'manifest.json'), 'utf8');
    for (const [what, edit, message] of cases) {
      writeFileSync(join(out, 'manifest.json'), original);
      editManifest(out, (m) => {
        edit(m['registry']);
      });
      const r = await run('import', entry, '--from', out, '--environment', 'test');
      expect(r.code, what).toBe(1);
      expect(r.err, what).toContain('TENANT_RECORD_INVALID');
      expect(r.err, what).toMatch(message);
      expect(r.err, what).toContain('Nothing was written.');
      // What the archive said is never printed raw.
      expect(r.err).not.toContain('\u001b');
      expect(await snapshot(), what).toEqual(before);
    }
  });

  it('writes its own dates, whatever the archive says (createdOn 1970)', async () => {
    const out = await exported('old-dates');
    editManifest(out, (m) => {
      m['registry'].createdOn = '1970-01-01T00:00:00.000Z';
      m['registry'].updatedOn = '1970-01-01T00:00:00.000Z';
    });
    const r = await run('import', entry, '--from', out, '--environment', 'test');
    expect(r.code).toBe(0);
    const record = (await snapshot()).tenants.find((t) => t['id'] === A);
    expect(record).toMatchObject({ plan: 'pro', status: 'active' });
    expect(Object.keys(record ?? {}).sort()).toEqual([
      'createdOn',
      'id',
      'plan',
      'status',
      'updatedOn',
    ]);
    expect(String(record?.['createdOn'])).not.toMatch(/^1970/);
  });

  it('refuses an archive naming a reserved tenant, and --tenant shared, before anything is written', async () => {
    const out = await exported('reserved');
    const before = await snapshot();
    editManifest(out, (m) => {
      m['tenant'] = 'shared';
      m['registry'].id = 'shared';
    });
    const shared = await run('import', entry, '--from', out, '--environment', 'test');
    expect(shared.code).toBe(1);
    expect(shared.err).toMatch(
      /TENANT_RECORD_INVALID.*names tenant "shared": id "shared" is reserved/,
    );
    editManifest(out, (m) => {
      m['tenant'] = A;
      m['registry'].id = A;
    });
    for (const id of ['anonymous', 'Shared']) {
      const copy = await run(
        'import',
        entry,
        '--from',
        out,
        '--tenant',
        id,
        '--environment',
        'test',
      );
      expect(copy.code, id).toBe(1);
      expect(copy.err, id).toMatch(/TENANT_RECORD_INVALID.*--tenant .* is reserved/);
    }
    expect(await snapshot()).toEqual(before);
  });

  it('an export of a tenant with no record and no item is refused (a mistyped id), writing nothing', async () => {
    const out = join(dir, 'nobody');
    const r = await run('export', entry, `${A}x`, '--out', out, '--environment', 'test');
    expect(r.code).toBe(1);
    expect(r.err).toMatch(
      /TENANT_NOT_FOUND.*has no tenant \S+x: no registry record, no item, no file/,
    );
    expect(existsSync(out)).toBe(false);
    // C has items but no record: exported as before.
    expect(
      (await run('export', entry, C, '--out', join(dir, 'c-only'), '--environment', 'test')).code,
    ).toBe(0);
  });
});
