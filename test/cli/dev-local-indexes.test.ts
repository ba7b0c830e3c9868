/**
 * `atakora dev`'s local containers get the composite indexes their children routes' sorts need (the local server
 * refuses a multi-field ORDER BY without one in its exact directions) — also a container the saved data made
 * before the apps were read, whose items must survive the change (this server empties a container it replaces).
 */
import { afterAll, beforeAll, expect, it } from 'vitest';
import { type LocalCosmos, startCosmos } from '../../src/cli/dev/cosmos/local-cosmos.js';
import type { RuntimeEntity } from '../../src/model/runtime-manifest.js';
import { testCertificate } from '../support/test-certificate.js';

const orders: Pick<RuntimeEntity, 'sortable' | 'relations'> = {
  sortable: [[{ field: 'total', order: 'ascending' }]],
  relations: [{ name: 'customer', kind: 'belongsTo', target: 'CustomerApi', field: 'customerId' }],
};
const CHILDREN =
  'SELECT * FROM c WHERE c["customerId"] = @p ORDER BY c["customerId"] DESC, c["total"] DESC';

let cosmos: LocalCosmos;
beforeAll(async () => {
  cosmos = await startCosmos(testCertificate());
});
afterAll(async () => cosmos?.stop());

const childrenOf = (db: string) =>
  cosmos.client
    .database(db)
    .container('orders')
    .items.query<{ id: string }>({ query: CHILDREN, parameters: [{ name: '@p', value: 'c1' }] })
    .fetchAll();

it('a new container serves the parent-led sort of its children route', async () => {
  await cosmos.create('fresh', 'orders', '/tenantId', orders);
  const container = cosmos.client.database('fresh').container('orders');
  await container.items.create({ id: 'o1', tenantId: 't', customerId: 'c1', total: 1 });
  expect((await childrenOf('fresh')).resources.map((r) => r.id)).toEqual(['o1']);
});

it('a container made before without the indexes gets them and keeps its items', async () => {
  // What loading the saved data does before the apps are read: the container, its items, no indexes.
  const { database } = await cosmos.client.databases.createIfNotExists({ id: 'saved' });
  const { container } = await database.containers.createIfNotExists({
    id: 'orders',
    partitionKey: { paths: ['/tenantId'] },
  });
  for (const [id, total] of [
    ['o1', 3],
    ['o2', 5],
  ] as const)
    await container.items.create({ id, tenantId: 't', customerId: 'c1', total });
  await expect(childrenOf('saved')).rejects.toMatchObject({ code: 400 });
  await cosmos.create('saved', 'orders', '/tenantId', orders);
  expect((await childrenOf('saved')).resources.map((r) => r.id)).toEqual(['o2', 'o1']);
  // Asked again with the same sorts: nothing to change, nothing rewritten.
  await cosmos.create('saved', 'orders', '/tenantId', orders);
  expect((await childrenOf('saved')).resources).toHaveLength(2);
});
