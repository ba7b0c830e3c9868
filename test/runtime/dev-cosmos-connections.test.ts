/**
 * `atakora dev`'s local Cosmos DB server keeps its clients' connections (its package's default answers every
 * request `connection: close`: a TLS handshake and a client secure context per request, which was half the CPU of a
 * data-plane test and 6.4 → 1.4 ms a request with the shared compilation, bench/local-cosmos.ts), and compiles a
 * query text once per process (src/cli/dev/cosmos/query-cache.ts) while answering each container from its own items.
 */
import { subscribe, unsubscribe } from 'node:diagnostics_channel';
import { createRequire } from 'node:module';
import type { Socket } from 'node:net';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { type LocalCosmos, startCosmos } from '../../src/cli/dev/cosmos/local-cosmos.js';
import { SHARED_QUERIES } from '../../src/cli/dev/cosmos/query-cache.js';
import { testCertificate } from '../support/test-certificate.js';

let cosmos: LocalCosmos;
beforeAll(async () => {
  cosmos = await startCosmos(testCertificate());
});
afterAll(async () => cosmos?.stop());

it('one connection serves a run of requests: the server answers keep-alive', async () => {
  const port = Number(new URL(cosmos.endpoint).port);
  const accepted: Socket[] = [];
  const onSocket = (message: unknown) => {
    const { socket } = message as { socket: Socket };
    if (socket.localPort === port) accepted.push(socket);
  };
  subscribe('net.server.socket', onSocket);
  try {
    await cosmos.create('conns', 'notes', '/tenantId');
    const notes = cosmos.client.database('conns').container('notes');
    for (let i = 0; i < 10; i++) {
      await notes.items.create({ id: `n${String(i)}`, tenantId: 't' });
      expect((await notes.item(`n${String(i)}`, 't').read()).resource?.id).toBe(`n${String(i)}`);
    }
    expect((await notes.items.query('SELECT * FROM c').fetchAll()).resources).toHaveLength(10);
  } finally {
    unsubscribe('net.server.socket', onSocket);
  }
  // 23+ requests one after another: with `connection: close` each opened its own connection.
  expect(accepted.length).toBeGreaterThan(0);
  expect(accepted.length).toBeLessThanOrEqual(2);
});

it('a query text compiled once answers every container from its own items; a bad one fails every time', async () => {
  const compile = (
    createRequire(createRequire(import.meta.url).resolve('@vercel/cosmosdb-server'))(
      '@zeit/cosmosdb-query',
    ) as { default: (text: string) => unknown }
  ).default;
  const text = 'SELECT c.id FROM c WHERE c.tenantId = @t ORDER BY c.id';
  expect(compile(text)).toBe(compile(text));
  const answers: string[][] = [];
  for (const name of ['a', 'b']) {
    await cosmos.create('shared', name, '/tenantId');
    const container = cosmos.client.database('shared').container(name);
    for (const id of [`${name}2`, `${name}1`]) await container.items.create({ id, tenantId: 't' });
    const { resources } = await container.items
      .query<{ id: string }>({ query: text, parameters: [{ name: '@t', value: 't' }] })
      .fetchAll();
    answers.push(resources.map((r) => r.id));
  }
  expect(answers).toEqual([
    ['a1', 'a2'],
    ['b1', 'b2'],
  ]);
  const bad = 'SELECT FROM WHERE';
  for (let i = 0; i < 2; i++) expect(() => compile(bad)).toThrow(/Expected/);
  const failed = await cosmos.client
    .database('shared')
    .container('a')
    .items.query(bad)
    .fetchAll()
    .then(
      () => undefined,
      (e: { code?: number }) => e.code,
    );
  expect(failed).toBe(400);
  expect(SHARED_QUERIES).toBeGreaterThan(100);
});
