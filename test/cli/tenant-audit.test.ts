/**
 * The audit log through the operator's CLI (DESIGN §2, "Audit log"), against a real local Cosmos DB server over
 * verified TLS: `tenant set|suspend|resume` recorded `via: 'cli'`, `tenant audit` printing an organization's log
 * newest first (text and `--json`, never another organization's), `tenant export` writing it to audit.ndjson,
 * `tenant delete` and `tenant import` recorded — and an import never loading the archive's entries back.
 */
import { readFileSync } from 'node:fs';
import { createHash } from 'node:crypto';
import { join } from 'node:path';
import type { Container } from '@azure/cosmos';
import { beforeAll, beforeEach, describe, expect, it } from 'vitest';
import type { AuditEntry } from '../../src/contract/audit.js';
import { tlsStandInFile } from './support/cosmos-cli.js';

const entry = 'test/cli/fixtures/members-backend.ts';
const ACME = 'acme-k3x9qa';
const GLOBEX = 'globex-2b7c1d';
const record = (id: string) => ({
  id,
  plan: 'free',
  status: 'active',
  createdOn: '2026-01-01T00:00:00.000Z',
  updatedOn: '2026-01-01T00:00:00.000Z',
});

const { dir, local, run } = tlsStandInFile('atakora-tenant-audit-', 'tenant');
let containers: Container[] = [];
let audit: Container;
const logOf = async (tenant: string) =>
  JSON.parse(
    (await run('audit', entry, tenant, '--environment', 'test', '--json')).out,
  ) as AuditEntry[];

beforeAll(async () => {
  audit = await local().container('atakora', 'audit', '/tenant');
  containers = [
    audit,
    await local().container('atakora', 'members', '/tenant'),
    await local().container('atakora', 'tenants', '/id'),
    await local().container('note-db', 'note', '/id'),
  ];
});
beforeEach(async () => {
  for (const c of containers) {
    const { resources } = await c.items.query<Record<string, string>>('SELECT * FROM c').fetchAll();
    for (const r of resources) await c.item(r['id'] ?? '', r['tenant'] ?? r['id']).delete();
  }
  const tenants = containers[2];
  for (const t of [ACME, GLOBEX]) await tenants?.items.create(record(t));
  await containers[1]?.items.create({
    id: `${ACME}|u-ada`,
    tenant: ACME,
    userId: 'u-ada',
    roles: ['Owner'],
    addedOn: '2026-01-01T00:00:00.000Z',
  });
});

describe('the operator’s changes and the audit command', () => {
  it('records set, suspend and resume via cli; prints the log newest first, one organization’s only', async () => {
    for (const args of [['set', '--plan', 'pro'], ['suspend'], ['resume']]) {
      const [sub, ...rest] = args;
      const r = await run(sub ?? '', entry, ACME, ...rest, '--environment', 'test');
      expect(r.code, r.err).toBe(0);
    }
    const log = await logOf(ACME);
    expect(log.map((e) => [e.action, e.actor, e.target, e.changes])).toEqual([
      [
        'organization.resumed',
        { id: 'operator', via: 'cli' },
        ACME,
        { status: { from: 'suspended', to: 'active' } },
      ],
      [
        'organization.suspended',
        { id: 'operator', via: 'cli' },
        ACME,
        { status: { from: 'active', to: 'suspended' } },
      ],
      [
        'organization.plan-changed',
        { id: 'operator', via: 'cli' },
        ACME,
        { plan: { from: 'free', to: 'pro' } },
      ],
    ]);
    expect(await logOf(GLOBEX)).toEqual([]);
    const text = await run('audit', entry, ACME, '--environment', 'test');
    expect(text.code, text.err).toBe(0);
    const lines = text.out.trim().split('\n');
    expect(lines[0]).toBe(`Audit log of ${ACME} (test): 3 entries, newest first`);
    expect(lines[1]).toMatch(
      /^\S+Z {2}operator \(cli\) {2}organization\.resumed {2}acme-k3x9qa {2}\{"status"/,
    );
  });
});

describe('export, delete and import', () => {
  it('exports the log; delete and import are recorded; an import never loads the archive’s entries', async () => {
    await run('set', entry, ACME, '--plan', 'pro', '--environment', 'test');
    const out = join(dir, 'acme');
    const exported = await run('export', entry, ACME, '--out', out, '--environment', 'test');
    expect(exported.code, exported.err).toBe(0);
    const text = readFileSync(join(out, 'audit.ndjson'), 'utf8');
    expect(
      text
        .trim()
        .split('\n')
        .map((l) => (JSON.parse(l) as AuditEntry).action),
    ).toEqual(['organization.plan-changed']);
    const manifest = JSON.parse(readFileSync(join(out, 'manifest.json'), 'utf8'));
    expect(manifest.audit).toEqual({
      entries: 1,
      sha256: createHash('sha256').update(text).digest('hex'),
    });
    expect((await run('delete', entry, ACME, '--environment', 'test', '--yes')).code).toBe(0);
    expect((await run('import', entry, '--from', out, '--environment', 'test')).code).toBe(0);
    // The log outlives the erasure (append-only, its retention the bound); the import adds its own entry only.
    expect((await logOf(ACME)).map((e) => e.action)).toEqual([
      'tenant.imported',
      'tenant.erased',
      'tenant.exported',
      'organization.plan-changed',
    ]);
  });
});
