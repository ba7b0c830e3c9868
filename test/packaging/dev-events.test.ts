/**
 * `atakora dev` calls a CrudApi's onChange handler (bundled into the built package) after each successful write,
 * with `{ operation, item, tenant }`; a failing handler is logged and does not fail the write.
 */
import { existsSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startDev, type DevSession } from '../../src/cli/dev/session/session.js';
import { devUserOf } from '../../src/cli/dev/sign-in/sign-in.js';
import { EVENTUALLY } from '../support/patience.js';

let dev: DevSession;
const logs: string[] = [];
beforeAll(async () => {
  dev = await startDev('test/packaging/fixtures/events-backend.ts', {
    user: devUserOf('alice@tenant-a')!,
    log: (l) => logs.push(l),
  });
});
afterAll(async () => {
  await dev?.stop();
});

const url = (path: string) => `${dev.apps[0]!.url}${path}`;
const json = { 'content-type': 'application/json' };
const send = async (path: string, init: RequestInit = {}) => {
  const r = await fetch(url(path), init);
  const text = await r.text();
  return { status: r.status, body: text ? JSON.parse(text) : undefined };
};
const changesOf = (
  title: string,
): { operation: string; item: Record<string, unknown>; tenant?: string }[] => {
  const file = join(tmpdir(), 'atakora-on-change', `${title}.jsonl`);
  return existsSync(file)
    ? readFileSync(file, 'utf8')
        .trim()
        .split('\n')
        .map((l) => JSON.parse(l) as { operation: string; item: Record<string, unknown> })
    : [];
};

describe('atakora dev: onChange', () => {
  it('a create fires the handler once with the item; update and delete follow; a failing handler does not fail the write', async () => {
    const title = `ok-${randomUUID()}`;
    rmSync(join(tmpdir(), 'atakora-on-change', `${title}.jsonl`), { force: true });
    const created = await send('/api/bookings', {
      method: 'POST',
      headers: json,
      body: JSON.stringify({ title }),
    });
    expect(created.status).toBe(201);
    const afterCreate = changesOf(title);
    expect(afterCreate).toHaveLength(1);
    expect(afterCreate[0]).toMatchObject({
      operation: 'create',
      item: { id: created.body.id, title },
      tenant: 'tenant-a',
    });
    expect((await send(`/api/bookings/${created.body.id as string}`)).status).toBe(200);
    expect(changesOf(title)).toHaveLength(1);
    const patched = await send(`/api/bookings/${created.body.id as string}`, {
      method: 'PATCH',
      headers: json,
      body: JSON.stringify({ title }),
    });
    expect(patched.status).toBe(200);
    expect(changesOf(title).map((c) => c.operation)).toEqual(['create', 'update']);
    const replaced = await send(`/api/bookings/${created.body.id as string}`, {
      method: 'PUT',
      headers: json,
      body: JSON.stringify({ title }),
    });
    expect(replaced.status).toBe(200);
    expect(
      (await send(`/api/bookings/${created.body.id as string}`, { method: 'DELETE' })).status,
    ).toBe(204);
    // A delete answers no body: the handler gets the id (and the marker file is named by it).
    expect(changesOf(title).map((c) => c.operation)).toEqual(['create', 'update', 'replace']);
    expect(changesOf(created.body.id as string)).toEqual([
      { operation: 'delete', item: { id: created.body.id }, tenant: 'tenant-a' },
    ]);

    const failing = await send('/api/bookings', {
      method: 'POST',
      headers: json,
      body: JSON.stringify({ title: `fail-${randomUUID()}` }),
    });
    expect(failing.status).toBe(201);
    expect((await send(`/api/bookings/${failing.body.id as string}`)).status).toBe(200);
    await expect.poll(() => logs.some((l) => l.includes('handler_failed')), EVENTUALLY).toBe(true);
  });
});
