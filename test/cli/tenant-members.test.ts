/**
 * `atakora tenant members <entry> <tenant>` against a real local Cosmos DB server (verified TLS, the real
 * @azure/cosmos client): an organization's members from the `members` container — its invitations and other
 * organizations' members left out —, `--json`, and a refusal for a backend whose tenants are directories.
 */
import type { Container } from '@azure/cosmos';
import { beforeAll, describe, expect, it } from 'vitest';
import { tlsStandInFile } from './support/cosmos-cli.js';

const entry = 'test/cli/fixtures/members-backend.ts';
const { local, run } = tlsStandInFile('atakora-members-', 'tenant');
let members: Container;

beforeAll(async () => {
  members = await local().container('atakora', 'members', '/tenant');
  const add = (tenant: string, userId: string, roles: string[], email?: string) =>
    members.items.create({
      id: `${tenant}|${userId}`,
      tenant,
      userId,
      roles,
      addedOn: '2026-01-01T00:00:00.000Z',
      ...(email ? { email } : {}),
    });
  await add('acme-k3x9qa', 'u-ada', ['Owner'], 'ada@example.com');
  await add('acme-k3x9qa', 'u-bob', ['Member']);
  await add('globex-1', 'u-eve', ['Owner']);
  await members.items.create({
    id: 'acme-k3x9qa|invitation|abc',
    kind: 'invitation',
    tenant: 'acme-k3x9qa',
    email: 'carol@example.com',
    roles: [],
    tokenHash: 'x',
  });
});

describe('atakora tenant members', () => {
  it("lists one organization's members, not its invitations nor another organization's", async () => {
    const r = await run('members', entry, 'acme-k3x9qa', '--environment', 'test');
    expect(r.code, r.err).toBe(0);
    expect(r.out).toContain('Members of acme-k3x9qa (2):');
    expect(r.out).toMatch(/u-ada\s+Owner\s+ada@example\.com/);
    expect(r.out).toMatch(/u-bob\s+Member\s+-/);
    expect(r.out).not.toContain('u-eve');
    expect(r.out).not.toContain('carol');
    const json = await run('members', entry, 'acme-k3x9qa', '--environment', 'test', '--json');
    expect(JSON.parse(json.out).map((m: { userId: string }) => m.userId)).toEqual([
      'u-ada',
      'u-bob',
    ]);
    const none = await run('members', entry, 'nobody-org', '--environment', 'test');
    expect(none.out).toBe('Organization nobody-org has no members.\n');
  });

  it('refuses a backend whose tenants are directories, and a missing tenant', async () => {
    const r = await run(
      'members',
      'test/cli/fixtures/tenant-backend.ts',
      'contoso',
      '--environment',
      'test',
    );
    expect(r.code).toBe(1);
    expect(r.err).toContain('TENANT_COMMAND_REFUSED');
    const usage = await run('members', entry, '--environment', 'test');
    expect(usage.code).toBe(2);
    // An organization the operator adds has an id a request can name.
    const upper = await run('add', entry, 'Acme', '--environment', 'test');
    expect([upper.code, upper.err.includes('CONFIG_INVALID')]).toEqual([1, true]);
  });
});
