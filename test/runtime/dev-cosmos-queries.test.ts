/**
 * `atakora dev`'s local Cosmos DB server compiles a query text once per process (src/cli/dev/cosmos/query-cache.ts)
 * while answering each container from its own items. (Its connections close after each request: keep-alive made a
 * later dev session in the same process deliver no change feed batch — src/cli/dev/cosmos/local-cosmos.ts.)
 */
import { mkdtempSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { type LocalCosmos, startCosmos } from '../../src/cli/dev/cosmos/local-cosmos.js';
import { SHARED_QUERIES } from '../../src/cli/dev/cosmos/query-cache.js';
import { loopbackCertificate } from '../../src/cli/dev/loopback/loopback-certificate.js';

let cosmos: LocalCosmos;
beforeAll(async () => {
  cosmos = await startCosmos(loopbackCertificate(mkdtempSync(join(tmpdir(), 'atakora-conns-'))));
});
afterAll(async () => cosmos?.stop());

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
