/**
 * `atakora dev` serves FileStores from the built package's runtime on Azurite: a signed-in user uploads through
 * the user-delegation SAS URL and reads the file back; another user (owner rule) and another tenant see nothing.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startDev, type DevSession } from '../../src/cli/dev/session/session.js';
import { devUserOf } from '../../src/cli/dev/sign-in/sign-in.js';

let dev: DevSession;
let previous: string | undefined;
beforeAll(async () => {
  dev = await startDev('test/packaging/fixtures/files-backend.ts', {
    user: devUserOf('alice@tenant-a')!,
    log: () => undefined,
  });
  // The SAS URLs point at Azurite's loopback HTTPS endpoint (a self-signed certificate).
  previous = process.env['NODE_TLS_REJECT_UNAUTHORIZED'];
  process.env['NODE_TLS_REJECT_UNAUTHORIZED'] = '0';
});
afterAll(async () => {
  if (previous === undefined) delete process.env['NODE_TLS_REJECT_UNAUTHORIZED'];
  else process.env['NODE_TLS_REJECT_UNAUTHORIZED'] = previous;
  await dev?.stop();
});

const url = (path: string) => `${dev.apps[0]!.url}${path}`;
const json = { 'content-type': 'application/json' };
const send = async (path: string, init: RequestInit = {}) => {
  const r = await fetch(url(path), init);
  const text = await r.text();
  return { status: r.status, body: text ? JSON.parse(text) : undefined };
};

describe('atakora dev: FileStore on Azurite', () => {
  it('uploads through the SAS URL and reads the file back; others see nothing', async () => {
    const created = await send('/api/attachments', {
      method: 'POST',
      headers: json,
      body: JSON.stringify({ name: 'a.txt', contentType: 'text/plain', size: 5 }),
    });
    expect(created.status).toBe(201);
    const put = await fetch(created.body.uploadUrl as string, {
      method: 'PUT',
      headers: { 'x-ms-blob-type': 'BlockBlob', 'content-type': 'text/plain' },
      body: 'hello',
    });
    expect(put.status).toBe(201);
    const done = await send(`/api/attachments/${created.body.id as string}/complete`, {
      method: 'POST',
    });
    expect(done).toMatchObject({ status: 200, body: { name: 'a.txt', size: 5, ownerId: 'alice' } });
    const got = await send(`/api/attachments/${created.body.id as string}`);
    expect(await (await fetch(got.body.downloadUrl as string)).text()).toBe('hello');
    expect(
      (
        await send(`/api/attachments/${created.body.id as string}`, {
          headers: { 'x-atakora-dev-user': 'bob@tenant-a' },
        })
      ).status,
    ).toBe(404);
    expect(
      (await send('/api/attachments', { headers: { 'x-atakora-dev-user': 'eve@tenant-b' } })).body
        .items,
    ).toEqual([]);
    const big = await send('/api/attachments', {
      method: 'POST',
      headers: json,
      body: JSON.stringify({ name: 'b.txt', contentType: 'text/plain', size: 2 * 1024 * 1024 }),
    });
    expect(big.status).toBe(413);
  });
});
