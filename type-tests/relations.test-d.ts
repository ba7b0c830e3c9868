import { expectError, expectType } from 'tsd';
import { defineBackend } from '@atakora/component/backend';
import { CrudApi } from '@atakora/component/crud';
import { FileStore } from '@atakora/component/files';
import { createClient, type FileWithUrl } from '@atakora/component/client';

const backend = defineBackend({
  customers: CrudApi.define('CustomerApi', {
    entityName: 'Customer',
    schema: { id: 'string', name: { type: 'string', required: true } },
    partitionKey: '/tenantId',
    relations: { orders: { hasMany: 'OrderApi', field: 'customerId', onDelete: 'cascade' } },
  }),
  orders: CrudApi.define('OrderApi', {
    entityName: 'Order',
    schema: { id: 'string', customerId: 'string', photoId: 'string', total: 'number' },
    partitionKey: '/tenantId',
    relations: {
      customer: { belongsTo: 'CustomerApi', field: 'customerId' },
      photo: { file: 'InspectionFiles', field: 'photoId' },
    },
  }),
  files: FileStore.define('InspectionFiles', { maxSizeMb: 5 }),
});

const client = createClient<typeof backend>({
  baseUrls: { customers: 'https://x/api/customers', orders: 'https://x/api/orders' },
  getToken: () => undefined,
});

// list({ expand, count }).page(): items with the parent typed, and count.
const page = await client.orders.list({ expand: ['customer'], count: true }).page();
expectType<number>(page.count);
expectType<string | null>(page.continuationToken);
const first = page.items[0]!;
expectType<number | undefined>(first.total);
if (first.customer) {
  expectType<string>(first.customer.id);
  expectType<string>(first.customer.name);
}
expectType<null>(null as Exclude<typeof first.customer, { id: string }>);

// Without count, no count; a file relation embeds the file with its download URL.
const plain = await client.orders.list().page();
expectError(plain.count.toFixed());
const withPhoto = await client.orders.get('o1', { expand: ['photo', 'customer'] });
expectType<FileWithUrl | null>(withPhoto.photo);
expectType<string | undefined>(withPhoto.customer?.name);

// A misspelt or non-expandable relation is a type error.
expectError(client.orders.list({ expand: ['custmer'] }));
expectError(client.orders.get('o1', { expand: ['total'] }));
// A hasMany expands to each customer's first orders and the token of the rest (at its children route).
const withOrders = await client.customers.list({ expand: ['orders($first=5)'] }).page();
const firstOrders = withOrders.items[0]?.orders;
expectType<string | null | undefined>(firstOrders?.continuationToken);
expectType<number | undefined>(firstOrders?.items[0]?.total);
const oneCustomer = await client.customers.get('c1', { expand: ['orders'] });
expectType<string | undefined>(oneCustomer.orders?.items[0]?.customerId);
expectError(client.customers.list({ expand: ['orders($top=5)'] }));
expectError(client.customers.list({ expand: ['order'] }));
// Without expand, the item has no relation property.
const bare = await client.orders.get('o1');
expectError(bare.customer);

// Children: the same list object as the child's list, with its options.
const kids = await client.customers
  .orders('c1', { expand: ['customer'], count: true, orderBy: 'total' })
  .page();
expectType<number>(kids.count);
expectType<string | undefined>(kids.items[0]!.customerId);
expectType<string | undefined>(kids.items[0]!.customer?.name);
expectError(client.customers.orderz('c1'));
expectError(client.customers.orders(42));

// A belongsTo field must be a field of the schema.
expectError(
  CrudApi.define('BadApi', {
    entityName: 'Bad',
    schema: { id: 'string', customerId: 'string' },
    relations: { customer: { belongsTo: 'CustomerApi', field: 'custId' } },
  }),
);

// onDelete says what deleting the parent does, so it belongs to the hasMany side: on a belongsTo (or a file
// relation) it is a type error, as the definition refuses it at run time.
expectError(
  CrudApi.define('LineApi', {
    entityName: 'Line',
    schema: { id: 'string', orderId: 'string' },
    relations: { order: { belongsTo: 'OrderApi', field: 'orderId', onDelete: 'cascade' } },
  }),
);
expectError(
  CrudApi.define('LineApi', {
    entityName: 'Line',
    schema: { id: 'string', photoId: 'string' },
    relations: { photo: { file: 'InspectionFiles', field: 'photoId', onDelete: 'restrict' } },
  }),
);
