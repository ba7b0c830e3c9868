/**
 * `atakora dev` runs the user's handlers as Azure does where it matters to them: the declared variable under the
 * name written, TLS verified (the loopback services trusted through NODE_EXTRA_CA_CERTS only, never a
 * process-wide off switch), and an onChange handler that never settles does not hold the write's answer.
 */
import { randomUUID } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { createServer, type Server } from 'node:https';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loopbackCertificate } from '../../src/cli/dev/loopback/loopback-certificate.js';
import { startDev, type DevSession } from '../../src/cli/dev/session/session.js';
import { devUserOf } from '../../src/cli/dev/sign-in/sign-in.js';
import { CHANGE_DEADLINE_SETTING } from '../../src/runtime/events/change-deadline.js';
import { EVENTUALLY } from '../support/patience.js';

let dev: DevSession;
const logs: string[] = [];
// A server on loopback with a certificate of its own, which nobody was told to trust.
let stranger: Server;
const strangerDir = mkdtempSync(join(tmpdir(), 'atakora-stranger-'));
let previousDeadline: string | undefined;
beforeAll(async () => {
  previousDeadline = process.env[CHANGE_DEADLINE_SETTING];
  process.env[CHANGE_DEADLINE_SETTING] = '1500';
  const tls = loopbackCertificate(strangerDir);
  stranger = createServer({ cert: tls.cert, key: tls.key }, (_q, r) => r.end('hello'));
  await new Promise<void>((r) => stranger.listen(0, '127.0.0.1', r));
  dev = await startDev('test/packaging/fixtures/hardening-backend.ts', {
    user: devUserOf('alice@tenant-a')!,
    log: (l) => logs.push(l),
  });
});
afterAll(async () => {
  if (previousDeadline === undefined) delete process.env[CHANGE_DEADLINE_SETTING];
  else process.env[CHANGE_DEADLINE_SETTING] = previousDeadline;
  await dev?.stop();
  await new Promise((r) => stranger?.close(r));
  rmSync(strangerDir, { recursive: true, force: true });
});

const url = (path: string) => `${dev.apps[0]!.url}${path}`;

describe('atakora dev: what handlers see', () => {
  it('the declared NOTIFY_URL under its own name; TLS checks on; an unknown certificate refused', async () => {
    const port = String((stranger.address() as AddressInfo).port);
    const r = await fetch(url(`/api/probe?port=${port}`));
    expect(r.status).toBe(200);
    const seen = (await r.json()) as Record<string, unknown>;
    expect(seen['notifyUrl']).toBe('https://hooks.example.test/notify');
    expect(seen['prefixed']).toBeNull();
    expect(seen['tlsRejectUnauthorized']).toBeNull();
    expect(seen['extraCa']).toBe(true);
    expect(String(seen['untrusted'])).toMatch(/^refused (DEPTH_ZERO_SELF_SIGNED_CERT|SELF_SIGNED)/);
  });

  it('CRUD still reaches the local Cosmos DB server, its certificate verified', async () => {
    const id = randomUUID();
    const r = await fetch(url('/api/notes'), {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ id, title: `ok-${id}` }),
    });
    expect(r.status).toBe(201);
    expect((await fetch(url(`/api/notes/${id}`))).status).toBe(200);
  });

  it('an onChange handler that never settles: the write is answered, the timeout logged', async () => {
    const id = randomUUID();
    const r = await fetch(url('/api/notes'), {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ id, title: `hang-${id}` }),
    });
    expect(r.status).toBe(201);
    await expect
      .poll(() => logs.find((l) => l.includes('handler_failed') && l.includes(id)), {
        ...EVENTUALLY,
        interval: 200,
      })
      .toMatch(/did not settle within 1500 ms/);
    expect((await fetch(url(`/api/notes/${id}`))).status).toBe(200);
  });
});
