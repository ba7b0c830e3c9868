/**
 * The typed client against `atakora dev` serving a backend with tenants by membership (DESIGN §2): anyone signed in
 * creates an organization and is its Owner, invites a colleague by email (`--user`-style email users of dev carry
 * that verified email), the colleague accepts once, works in the organization through `createClient({ tenant })`,
 * is promoted, removed — and every refusal is a typed `ProblemError` (tenant-required, not-a-member,
 * invitation-email-mismatch, invitation-expired, last-owner).
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type DevSession, startDev } from '../../src/cli/dev/session/session.js';
import { createClient } from '../../src/client/create-client.js';
import { ProblemError } from '../../src/client/problem-error.js';
import type { backend } from './fixtures/organizations-backend.js';

let dev: DevSession;
beforeAll(async () => {
  dev = await startDev('test/contract/fixtures/organizations/backend.ts', {
    log: () => undefined,
    quietWorkers: true,
  });
});
afterAll(async () => {
  await dev?.stop();
});

/** A client signed in to dev as `user` (an email: a user with that verified email), acting in `tenant`. */
const clientAs = (user: string, tenant?: string) =>
  createClient<typeof backend>({
    baseUrls: { notes: `${dev.apps[0]?.url ?? ''}/api/notes` },
    getToken: () => 'dev-token',
    ...(tenant ? { tenant } : {}),
    fetch: (input, init) =>
      fetch(input, {
        ...init,
        headers: { ...(init?.headers as object), 'x-atakora-dev-user': user },
      }),
  });
const problem = (e: unknown) => (e instanceof ProblemError ? [e.status, e.code] : e);
const tokenOf = (url: string) => new URL(url).searchParams.get('invitation') ?? '';

describe('organizations through the typed client against atakora dev', () => {
  it('create, invite, accept once, work in the organization, promote, remove', async () => {
    const ada = clientAs('ada@example.com');
    const org = await ada.tenants.create({ name: 'Acme' });
    expect(org).toMatchObject({ name: 'Acme', status: 'active', plan: 'free' });
    expect((await ada.me.tenants()).items.map((t) => [t.id, t.roles])).toContainEqual([
      org.id,
      ['Owner'],
    ]);
    const adaIn = clientAs('ada@example.com', org.id);
    await adaIn.notes.create({ title: 'kickoff' });
    const invite = await adaIn.invitations.create({ email: 'Bob@Example.com', roles: ['Member'] });
    expect(invite.email).toBe('bob@example.com');
    expect((await adaIn.invitations.list().page()).items.map((i) => i.id)).toEqual([invite.id]);

    // Eve has the link but not Bob's verified email: refused, the invitation stays.
    expect(
      await clientAs('eve@example.com')
        .invitations.accept(tokenOf(invite.acceptUrl))
        .catch(problem),
    ).toEqual([403, 'invitation-email-mismatch']);
    // The landing page's first call: what the link invites to, asked without the inviter's organization.
    const bob = clientAs('bob@example.com');
    expect(await bob.invitations.preview(tokenOf(invite.acceptUrl))).toEqual({
      organization: { id: org.id, name: 'Acme' },
      invitedBy: { name: expect.any(String) },
      roles: ['Member'],
      expiresOn: invite.expiresOn,
      emailHint: 'b…@example.com',
    });
    expect(await bob.notes.list().page().catch(problem)).toEqual([400, 'tenant-required']);
    const joined = await bob.invitations.accept(tokenOf(invite.acceptUrl));
    expect(joined).toMatchObject({ tenant: org.id, roles: ['Member'], email: 'bob@example.com' });
    expect(await bob.invitations.accept(tokenOf(invite.acceptUrl)).catch(problem)).toEqual([
      410,
      'invitation-expired',
    ]);
    expect(await bob.invitations.preview(tokenOf(invite.acceptUrl)).catch(problem)).toEqual([
      410,
      'invitation-expired',
    ]);
    // Bob's only organization: no header needed; he reads, and the Admin rule keeps him from updating.
    expect((await bob.notes.list().page()).items.map((n) => n.title)).toEqual(['kickoff']);
    const first = (await bob.notes.list().page()).items[0];
    if (!first) throw new Error('no note');
    expect(await bob.notes.update(first.id, { title: 'x' }).catch(problem)).toEqual([
      403,
      'access-denied',
    ]);
    const bobId = joined.userId;
    expect((await adaIn.members.update(bobId, { roles: ['Admin'] })).roles).toEqual(['Admin']);
    expect((await bob.notes.update(first.id, { title: 'renamed' })).title).toBe('renamed');

    // A stranger naming the organization, and the last Owner leaving.
    expect(await clientAs('eve@example.com', org.id).notes.list().page().catch(problem)).toEqual([
      403,
      'not-a-member',
    ]);
    const adaId =
      (await adaIn.members.list().page()).items.find((m) => m.roles.includes('Owner'))?.userId ??
      '';
    expect(await adaIn.members.remove(adaId).catch(problem)).toEqual([409, 'last-owner']);
    await adaIn.members.remove(bobId);
    expect(await clientAs('bob@example.com', org.id).notes.list().page().catch(problem)).toEqual([
      403,
      'not-a-member',
    ]);
    expect((await adaIn.members.list().page()).items.map((m) => m.userId)).toEqual([adaId]);
  });
});

describe("an organization's Owner runs it through client.tenant", () => {
  it('renames, deletes (suspended, deleteOn), undeletes', async () => {
    const ada = clientAs('ada@example.com');
    const org = await ada.tenants.create({ name: 'Initech' });
    const adaIn = clientAs('ada@example.com', org.id);
    expect(await adaIn.tenant.update({ name: 'Initrode' })).toMatchObject({ name: 'Initrode' });
    const gone = await adaIn.tenant.delete();
    expect(gone).toMatchObject({ id: org.id, status: 'suspended', deleteOn: expect.any(String) });
    expect(await adaIn.notes.list().page().catch(problem)).toEqual([403, 'tenant-suspended']);
    expect(await adaIn.tenant.undelete()).toMatchObject({ id: org.id, status: 'active' });
    expect((await adaIn.tenant()).status).toBe('active');
  });
});
