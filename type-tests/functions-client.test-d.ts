import { expectAssignable, expectError, expectNotAssignable, expectType } from 'tsd';
import { defineBackend } from '@atakora/component/backend';
import { CrudApi } from '@atakora/component/crud';
import { FunctionsApp, type FunctionsAppHandle } from '@atakora/component/functions';
import { createClient, type RouteParams, type SchemaType } from '@atakora/component/client';

const backend = defineBackend({
  notes: CrudApi.define('NoteApi', {
    entityName: 'Note',
    schema: { id: 'string', title: 'string' },
  }),
  orders: FunctionsApp.define('Orders', {
    runtime: 'node',
    functions: {
      submit: {
        trigger: 'http',
        route: 'orders/submit',
        methods: ['POST'],
        handler: './src/submit.ts',
        requestSchema: {
          type: 'object',
          required: ['sku'],
          properties: {
            sku: { type: 'string' },
            qty: { type: 'integer' },
            tags: { type: 'array', items: { type: 'string' } },
          },
        },
        responseSchema: {
          type: 'object',
          required: ['orderId', 'status'],
          properties: { orderId: { type: 'string' }, status: { enum: ['open', 'paid'] } },
        },
      },
      getOrder: {
        trigger: 'http',
        route: 'orders/{id:int}/lines/{line?}',
        methods: ['GET', 'DELETE'],
        handler: './src/get.ts',
      },
      ping: { trigger: 'http', handler: './src/ping.ts' },
      nightly: { trigger: 'timer', schedule: '0 0 2 * * *', handler: './src/nightly.ts' },
    },
  }),
});

// The handle stays a FunctionsAppHandle (the configs ride along as a phantom).
expectAssignable<FunctionsAppHandle>(backend.components.orders);

const client = createClient<typeof backend>({
  baseUrls: { orders: 'https://x.azurewebsites.net' },
  getToken: () => undefined,
});

// Body and response inferred from the schemas.
expectType<Promise<{ orderId: string; status: 'open' | 'paid' }>>(
  client.orders.submit({ sku: 'A', qty: 1, tags: ['x'] }),
);
expectError(client.orders.submit({ qty: 1 }));
expectError(client.orders.submit({ sku: 1 }));
expectError(client.orders.submit({ sku: 'A', qty: '1' }));
expectError(client.orders.submit());
expectError(client.orders.submit({ sku: 'A' }, { method: 'GET' }));

// Route parameters: required ones required, optional ones optional; methods from the declared list.
expectType<Promise<unknown>>(client.orders.getOrder(undefined, { params: { id: 42 } }));
client.orders.getOrder(undefined, { params: { id: '42', line: 3 }, method: 'DELETE' });
expectError(client.orders.getOrder());
expectError(client.orders.getOrder(undefined, { params: { line: 3 } }));
expectError(client.orders.getOrder(undefined, { params: { id: 1 }, method: 'PUT' }));

// Without schemas: body optional and unknown, response unknown; default methods GET and POST.
expectType<Promise<unknown>>(client.orders.ping());
client.orders.ping({ any: 'thing' }, { method: 'POST' });
expectError(client.orders.ping(undefined, { method: 'PATCH' }));

// Only HTTP functions are calls; unknown names are errors; CRUD keys are unchanged.
expectError(client.orders.nightly);
expectError(client.orders.missing);
expectType<string>((await client.notes.get('1')).id);
expectError(client.notes.submit);

// The mapper on its own.
expectType<string | null>({} as SchemaType<{ type: readonly ['string', 'null'] }>);
expectType<{ [key: string]: unknown }>({} as SchemaType<{ type: 'object' }>);
expectType<number[]>({} as SchemaType<{ type: 'array'; items: { type: 'number' } }>);
expectType<42>({} as SchemaType<{ const: 42 }>);
expectType<unknown>({} as SchemaType<{ type: string }>);
expectType<unknown>({} as SchemaType<{ oneOf: [] }>);
expectAssignable<RouteParams<'files/{*path}'>>({});
expectAssignable<RouteParams<'orders/{id}'>>({ id: 1 });
expectNotAssignable<RouteParams<'orders/{id}'>>({});
