import { expectAssignable, expectError, expectType } from 'tsd';
import type { HttpRequest } from '@azure/functions';
import { defineBackend } from '@atakora/component/backend';
import { CrudApi } from '@atakora/component/crud';
import { FunctionsApp } from '@atakora/component/functions';
import { dataOf, type DataOf } from '@atakora/component/runtime';

const backend = defineBackend(
  {
    tickets: CrudApi.define('TicketApi', {
      entityName: 'Ticket',
      schema: {
        id: 'string',
        title: { type: 'string', required: true },
        status: { type: 'string', enum: ['open', 'closed'], default: 'open' },
        customerId: 'string',
      },
      sortable: ['title'],
      relations: { customer: { belongsTo: 'CustomerApi', field: 'customerId' } },
      realtime: true,
      search: { text: ['title'] },
    }),
    customers: CrudApi.define('CustomerApi', {
      entityName: 'Customer',
      schema: { id: 'string', name: 'string' },
      relations: { tickets: { hasMany: 'TicketApi', field: 'customerId' } },
    }),
    catalog: CrudApi.define('CatalogApi', {
      entityName: 'Product',
      schema: { id: 'string', name: 'string' },
      operations: ['read'],
    }),
    reports: FunctionsApp.define('Reports', {
      runtime: 'node',
      functions: { stats: { trigger: 'http', handler: './stats.ts', data: ['TicketApi'] } },
    }),
  },
  { mcp: { writes: true } },
);

declare const request: HttpRequest;
const data = dataOf<typeof backend>(request);
expectType<DataOf<typeof backend>>(data);

// The typed client's shape: entity types from the schema, enums as unions, count, expand and children.
const ticket = await data.tickets.get('t1');
expectType<string>(ticket.id);
expectType<string>(ticket.title);
expectType<'open' | 'closed'>(ticket.status);
expectType<number>(await data.tickets.count({ filter: "status eq 'open'" }));
const page = await data.tickets
  .list({ orderBy: 'title desc', first: 10, expand: ['customer'] })
  .page();
expectAssignable<{ readonly name?: string } | null>(page.items[0]!.customer);
const children = await data.customers.tickets('c1', { first: 5 }).page();
expectType<string>(children.items[0]!.title);
await data.tickets.create({ title: 'Printer' });
await data.tickets.update('t1', { status: 'closed' }, { ifMatch: ticket });

// Misuse: a key that is no CrudApi, a FunctionsApp, an operation the CrudApi does not enable, a field not in the
// schema, a value outside an enum, realtime methods (no socket in a handler).
expectError(data.orders);
expectError(data.reports);
expectError(data.catalog.create({ name: 'x' }));
expectError(data.catalog.count());
expectError(data.tickets.create({ title: 'x', priority: 1 }));
expectError(data.tickets.update('t1', { status: 'pending' }));
expectError(data.tickets.watch(undefined, () => undefined));
expectError(dataOf<typeof backend>(request).tickets.get(42));

// search: on a CrudApi that declares it (its body and page typed as the client's), none on the others.
const ranked = await data.tickets.search({
  text: 'login bug',
  filter: "status eq 'open'",
  first: 5,
});
expectType<number>(ranked.items[0]!.score);
expectType<'open' | 'closed'>(ranked.items[0]!.status);
expectError(data.tickets.search({ text: 'x', first: '5' }));
expectError(data.customers.search({ text: 'x' }));
expectError(data.catalog.search({ text: 'x' }));
