/**
 * `atakora dev`: list queries through the built runtime against the local Cosmos DB server,
 * which dev creates with the composite indexes the declared sorts need (both directions: the local server,
 * unlike Azure, serves a composite index only in its own directions).
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startDev, type DevSession } from '../../src/cli/dev/session/session.js';

let dev: DevSession;
beforeAll(async () => {
  dev = await startDev('test/packaging/fixtures/sortable-backend.ts', {
    log: () => {},
    quietWorkers: true,
  });
});
afterAll(async () => {
  await dev?.stop();
});

const list = async (query: Record<string, string>) => {
  const r = await fetch(
    `${dev.apps[0]!.url}/api/products?${new URLSearchParams(query).toString()}`,
  );
  return {
    status: r.status,
    body: (await r.json()) as { items: { id: string }[]; type?: string; position?: number },
  };
};

describe('atakora dev: list queries', () => {
  it('filters, sorts by a declared composite sort either way, selects; refuses undeclared sorts and hostile text', async () => {
    const items = [
      ['a', 'x', 3, 'Ann'],
      ['b', 'x', 5, "O'Brien"],
      ['c', 'y', 1, 'Cy'],
      ['d', 'y', 4, 'Di'],
    ] as const;
    for (const [id, category, price, name] of items) {
      const r = await fetch(`${dev.apps[0]!.url}/api/products`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ id, category, price, name }),
      });
      expect(r.status).toBe(201);
    }
    expect((await list({ $orderby: 'category, price desc' })).body.items.map((i) => i.id)).toEqual([
      'b',
      'a',
      'd',
      'c',
    ]);
    expect((await list({ $orderby: 'category desc, price' })).body.items.map((i) => i.id)).toEqual([
      'c',
      'd',
      'a',
      'b',
    ]);
    expect(
      (
        await list({
          $filter: "price gt 2 and name ne 'O''Brien'",
          $orderby: 'price desc',
          $select: 'name',
        })
      ).body.items,
    ).toEqual([
      { id: 'd', name: 'Di' },
      { id: 'a', name: 'Ann' },
    ]);
    const undeclared = await list({ $orderby: 'name' });
    expect([undeclared.status, undeclared.body.type]).toEqual([
      400,
      'urn:atakora:problem:not-sortable',
    ]);
    const hostile = await list({ $filter: "name eq 'x' or 1 eq 1" });
    expect([hostile.status, hostile.body.type, hostile.body.position]).toEqual([
      400,
      'urn:atakora:problem:invalid-query',
      15,
    ]);
  });
});
