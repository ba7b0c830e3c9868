import { expectError, expectType } from 'tsd';
import { defineBackend } from '@atakora/component/backend';
import { CrudApi } from '@atakora/component/crud';
import { createClient } from '@atakora/component/client';

const backend = defineBackend({
  orders: CrudApi.define('OrderApi', {
    entityName: 'Order',
    schema: {
      id: 'string',
      title: { type: 'string', required: true },
      status: { type: 'string', required: true, default: 'open' },
      tags: { type: 'array', default: [] },
    },
    schemaVersion: 2,
    migrations: { 2: './migrations/order-v2.ts' },
  }),
});
const client = createClient<typeof backend>({
  baseUrls: { orders: 'https://x/api/orders' },
  getToken: async () => 'token',
});

// A defaulted field may be left out of a body (the runtime fills it) and is always in an item.
client.orders.create({ title: 'x' });
client.orders.create({ title: 'x', status: 'closed' });
expectError(client.orders.create({ status: 'open' }));
expectError(client.orders.create({ title: 'x', status: 3 }));
const order = await client.orders.get('1');
expectType<string>(order.status);
expectType<unknown[]>(order.tags);
// A PATCH null on a defaulted field resets it to the default.
client.orders.update('1', { status: null });

// The hidden version field is no field of the client's types.
expectError(client.orders.create({ title: 'x', _atakoraV: 1 }));
