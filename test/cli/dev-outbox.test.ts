/**
 * `atakora dev` with `tenants.email`: every invitation e-mail lands in the local outbox — written to
 * `.atakora/outbox/` under the session's folder and listed at dev's loopback `GET /_atakora/outbox` with its link —
 * never on the network; the typed client's `invitations.resend(id)` puts a new link there and voids the old one.
 * Through the real dev stack (the built package, its worker, the local Cosmos DB), from Node (no `Origin`).
 */
import { mkdtemp, readdir, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type DevSession, startDev } from '../../src/cli/dev/session/session.js';
import { createClient } from '../../src/client/create-client.js';
import { ProblemError } from '../../src/client/problem-error.js';
import type { backend } from './fixtures/email-backend.js';

let dev: DevSession;
let stateDir: string;
beforeAll(async () => {
  stateDir = await mkdtemp(join(tmpdir(), 'atakora-dev-outbox-'));
  dev = await startDev('test/cli/fixtures/email-backend.ts', { log: () => undefined, stateDir });
});
afterAll(async () => {
  await dev?.stop();
  if (stateDir) await rm(stateDir, { recursive: true, force: true });
});

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
const tokenOf = (url: string) => new URL(url).searchParams.get('invitation') ?? '';
const outbox = async () =>
  (await (await fetch(`${dev.apps[0]?.url ?? ''}/_atakora/outbox`)).json()) as {
    items: { to: string; subject: string; link?: string; html: string }[];
  };

describe('dev’s local outbox', () => {
  it('an invitation from Node: in .atakora/outbox and GET /_atakora/outbox with its link; a resend voids it', async () => {
    const ada = clientAs('ada@example.com');
    const org = await ada.tenants.create({ name: 'Acme <Mail>' });
    const adaIn = clientAs('ada@example.com', org.id);
    const invite = await adaIn.invitations.create({ email: 'bob@example.com', roles: ['Member'] });
    expect(invite.delivery).toMatchObject({ status: 'sent' });
    const listed = await outbox();
    expect(listed.items[0]).toMatchObject({
      to: 'bob@example.com',
      subject: 'ada invited you to Acme <Mail>',
      link: invite.acceptUrl,
    });
    expect(listed.items[0]?.html).toContain('Acme &lt;Mail&gt;');
    const files = await readdir(join(stateDir, '.atakora', 'outbox'));
    const written = await Promise.all(
      files.map(async (f) =>
        JSON.parse(await readFile(join(stateDir, '.atakora', 'outbox', f), 'utf8')),
      ),
    );
    expect(written.map((e: { link?: string }) => e.link)).toContain(invite.acceptUrl);

    const again = await adaIn.invitations.resend(invite.id);
    expect(again.acceptUrl).not.toBe(invite.acceptUrl);
    expect((await outbox()).items[0]?.link).toBe(again.acceptUrl);
    const bob = clientAs('bob@example.com');
    const old = await bob.invitations.accept(tokenOf(invite.acceptUrl)).catch((e: unknown) => e);
    expect(old instanceof ProblemError ? [old.status, old.code] : old).toEqual([
      410,
      'invitation-expired',
    ]);
    expect((await bob.invitations.accept(tokenOf(again.acceptUrl))).tenant).toBe(org.id);
  });
});
