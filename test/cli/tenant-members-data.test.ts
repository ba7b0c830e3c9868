/**
 * An organization's data lifecycle with tenants by membership (DESIGN §2): `atakora tenant export | import |
 * delete` carry its members and open invitations (never an expired or accepted one, never another organization's),
 * an import validates them (a role the backend does not declare is TENANT_EXPORT_INVALID, nothing written), a copy
 * keeps the members and leaves the invitations out (a token names its organization), and delete erases them with
 * the record — against a real local Cosmos DB server over verified TLS.
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { createHash } from 'node:crypto';
import { join } from 'node:path';
import type { Container } from '@azure/cosmos';
import { beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { tlsStandInFile } from './support/cosmos-cli.js';

const entry = 'test/cli/fixtures/members-backend.ts';
const ACME = 'acme-k3x9qa';
const GLOBEX = 'globex-2b7c1d';
const SYSTEM = ['_rid', '_self', '_etag', '_attachments', '_ts'];
const future = new Date(Date.now() + 3 * 24 * 3600 * 1000).toISOString();
const past = new Date(Date.now() - 24 * 3600 * 1000).toISOString();

const member = (tenant: string, userId: string, roles: string[]) => ({
  id: `${tenant}|${userId}`,
  tenant,
  userId,
  roles,
  addedOn: '2026-01-01T00:00:00.000Z',
});
const invitation = (tenant: string, id: string, extra: Record<string, unknown> = {}) => ({
  id: `${tenant}|invitation|${id}`,
  kind: 'invitation',
  tenant,
  email: `${id}@example.com`,
  roles: ['Member'],
  invitedBy: 'u-ada',
  createdOn: '2026-01-01T00:00:00.000Z',
  expiresOn: future,
  tokenHash: 'a'.repeat(64),
  ...extra,
});
const MEMBERS = [
  member(ACME, 'u-ada', ['Owner']),
  member(ACME, 'u-bob', ['Member']),
  invitation(ACME, 'open1'),
  invitation(ACME, 'old1', { expiresOn: past }),
  invitation(ACME, 'used1', { acceptedBy: 'u-cy' }),
  member(GLOBEX, 'u-eve', ['Owner']),
  invitation(GLOBEX, 'gopen'),
];
const record = (id: string) => ({
  id,
  plan: 'free',
  status: 'active',
  name: id,
  createdOn: '2026-01-01T00:00:00.000Z',
  updatedOn: '2026-01-01T00:00:00.000Z',
});

const { dir, local, run } = tlsStandInFile('atakora-members-data-', 'tenant');
let members: Container;
let tenants: Container;
let notes: Container;
const strip = (i: Record<string, unknown>) =>
  Object.fromEntries(Object.entries(i).filter(([k]) => !SYSTEM.includes(k)));
const partition = async (tenant: string) =>
  (
    await members.items
      .query<Record<string, unknown>>({
        query: 'SELECT * FROM c WHERE c.tenant = @t',
        parameters: [{ name: '@t', value: tenant }],
      })
      .fetchAll()
  ).resources
    .map(strip)
    .sort((a, b) => (String(a['id']) < String(b['id']) ? -1 : 1));
const lines = (file: string) =>
  readFileSync(file, 'utf8')
    .split('\n')
    .filter((l) => l !== '')
    .map((l) => JSON.parse(l) as Record<string, unknown>);

beforeAll(async () => {
  members = await local().container('atakora', 'members', '/tenant');
  tenants = await local().container('atakora', 'tenants', '/id');
  notes = await local().container('note-db', 'note', '/id');
});
beforeEach(async () => {
  for (const c of [members, tenants, notes]) {
    const { resources } = await c.items.query<Record<string, string>>('SELECT * FROM c').fetchAll();
    for (const r of resources)
      await c.item(r['id'] ?? '', c === members ? r['tenant'] : r['id']).delete();
  }
  for (const m of MEMBERS) await members.items.create(m);
  for (const t of [ACME, GLOBEX]) await tenants.items.create(record(t));
  await notes.items.create({ id: 'n1', tenantId: ACME, ownerId: 'u-ada', title: 'acme note' });
});

describe('an organization’s members through export, delete and import', () => {
  it('exports its members and open invitations only; delete erases them; import brings them back', async () => {
    const out = join(dir, 'acme');
    const exported = await run('export', entry, ACME, '--out', out, '--environment', 'test');
    expect(exported.code, exported.err).toBe(0);
    expect(exported.err).toContain('2 member(s), 1 open invitation(s)');
    const written = lines(join(out, 'members.ndjson'));
    expect(written.map((l) => l['id'])).toEqual([
      `${ACME}|u-ada`,
      `${ACME}|u-bob`,
      `${ACME}|invitation|open1`,
    ]);
    for (const l of written) for (const k of SYSTEM) expect(l).not.toHaveProperty(k);
    const manifest = JSON.parse(readFileSync(join(out, 'manifest.json'), 'utf8'));
    expect(manifest.members).toEqual({
      memberships: 2,
      invitations: 1,
      sha256: createHash('sha256')
        .update(readFileSync(join(out, 'members.ndjson')))
        .digest('hex'),
    });
    expect(manifest.registry).toMatchObject({ id: ACME });

    const erased = await run('delete', entry, ACME, '--environment', 'test', '--yes');
    expect(erased.code, erased.err).toBe(0);
    expect(erased.out).toContain('members and invitations: 5 item(s)');
    expect(await partition(ACME)).toEqual([]);
    expect((await partition(GLOBEX)).length).toBe(2);

    const back = await run('import', entry, '--from', out, '--environment', 'test');
    expect(back.code, back.err).toBe(0);
    expect(back.err).toContain('2 member(s), 1 open invitation(s) created');
    expect((await partition(ACME)).map((i) => i['id'])).toEqual(written.map((l) => l['id']).sort());
    // Twice: what exists is left.
    expect((await run('import', entry, '--from', out, '--environment', 'test')).err).toContain(
      '0 member(s), 0 open invitation(s) created',
    );
  });

  it('delete leaves a tombstone: the id is never given again, listed nowhere; only its own archive brings it back', async () => {
    const globexOut = join(dir, 'globex-src');
    expect(
      (await run('export', entry, GLOBEX, '--out', globexOut, '--environment', 'test')).code,
    ).toBe(0);
    const out = join(dir, 'acme-tomb');
    expect((await run('export', entry, ACME, '--out', out, '--environment', 'test')).code).toBe(0);
    const erased = await run('delete', entry, ACME, '--environment', 'test', '--yes');
    expect(erased.code, erased.err).toBe(0);
    expect(erased.out).toContain('registry record: erased (a tombstone keeps its id');
    const { resource } = await tenants.item(ACME, ACME).read<Record<string, unknown>>();
    // The tombstone: its id, erased and when — no plan, name, customer or directory.
    expect(Object.keys(strip(resource ?? {})).sort()).toEqual(['erasedOn', 'id', 'status']);
    expect(resource?.['status']).toBe('erased');
    const listed = await run('list', entry, '--environment', 'test');
    expect(listed.out).toContain(GLOBEX);
    expect(listed.out).not.toContain(ACME);
    for (const args of [
      ['add', entry, ACME, '--environment', 'test'],
      ['suspend', entry, ACME, '--environment', 'test'],
      ['import', entry, '--from', globexOut, '--tenant', ACME, '--environment', 'test'],
    ]) {
      const refused = await run(...(args as [string, ...string[]]));
      expect([refused.code, refused.err], args.join(' ')).toEqual([
        1,
        expect.stringContaining('TENANT_ERASED'),
      ]);
    }
    expect(await partition(ACME)).toEqual([]);
    // The organization's own archive: the operator brings it back.
    const back = await run('import', entry, '--from', out, '--environment', 'test');
    expect(back.code, back.err).toBe(0);
    expect((await tenants.item(ACME, ACME).read<Record<string, unknown>>()).resource).toMatchObject(
      {
        id: ACME,
        status: 'active',
        plan: 'free',
      },
    );
  });

  it('a copy keeps the members under the new organization and leaves the invitations out', async () => {
    const out = join(dir, 'acme-copy-src');
    expect((await run('export', entry, ACME, '--out', out, '--environment', 'test')).code).toBe(0);
    const copy = await run(
      'import',
      entry,
      '--from',
      out,
      '--tenant',
      'acme-copy',
      '--environment',
      'test',
    );
    expect(copy.code, copy.err).toBe(0);
    expect(copy.err).toContain('1 invitation(s) left out');
    expect(await partition('acme-copy')).toEqual([
      { ...member('acme-copy', 'u-ada', ['Owner']) },
      { ...member('acme-copy', 'u-bob', ['Member']) },
    ]);
  });

  it('refuses a members file that grants an undeclared role or is not the one exported; nothing written', async () => {
    const out = join(dir, 'acme-bad');
    expect((await run('export', entry, ACME, '--out', out, '--environment', 'test')).code).toBe(0);
    const file = join(out, 'members.ndjson');
    const text = readFileSync(file, 'utf8').replace('"Member"', '"Superuser"');
    writeFileSync(file, text);
    expect(
      (await run('import', entry, '--from', out, '--tenant', 'acme-bad', '--environment', 'test'))
        .err,
    ).toContain('TENANT_EXPORT_INVALID');
    const manifest = JSON.parse(readFileSync(join(out, 'manifest.json'), 'utf8'));
    manifest.members.sha256 = createHash('sha256').update(text).digest('hex');
    writeFileSync(join(out, 'manifest.json'), JSON.stringify(manifest));
    const refused = await run(
      'import',
      entry,
      '--from',
      out,
      '--tenant',
      'acme-bad',
      '--environment',
      'test',
    );
    expect(refused.code).toBe(1);
    expect(refused.err).toMatch(/TENANT_EXPORT_INVALID[\s\S]*roles this backend declares/);
    expect(await partition('acme-bad')).toEqual([]);
  });
});
