import { expectError, expectType } from 'tsd';
import { defineBackend } from '@atakora/component/backend';
import { createClient } from '@atakora/component/client';
import { CrudApi } from '@atakora/component/crud';

// CrudApi `search`: full-text fields and the vector path name the schema's fields; distance and index are Cosmos DB's.
const schema = { id: 'string', title: 'string', embedding: 'array' } as const;
CrudApi.define('TicketApi', {
  entityName: 'Ticket',
  schema,
  search: {
    text: ['title', '/title'],
    language: 'fr-FR',
    vector: { path: 'embedding', dimensions: 1536, distance: 'dotproduct', index: 'quantizedFlat' },
  },
});
// A field the schema does not declare.
expectError(
  CrudApi.define('TicketApi', { entityName: 'Ticket', schema, search: { text: ['body'] } }),
);
// A distance or an index type Cosmos DB does not have.
expectError(
  CrudApi.define('TicketApi', {
    entityName: 'Ticket',
    schema,
    search: { vector: { path: 'embedding', dimensions: 8, distance: 'manhattan' } },
  }),
);
expectError(
  CrudApi.define('TicketApi', {
    entityName: 'Ticket',
    schema,
    search: { vector: { path: 'embedding', dimensions: 8, index: 'hnsw' } },
  }),
);
// A language full-text search does not support.
expectError(
  CrudApi.define('TicketApi', {
    entityName: 'Ticket',
    schema,
    search: { text: ['title'], language: 'xx' },
  }),
);

// The vector is in no answer unless `$select` names it: declared required, it is still optional in what the client
// reads (a GET, a list, a search) — and `select` on a GET cuts the item to it.
const searched = defineBackend({
  tickets: CrudApi.define('TicketApi', {
    entityName: 'Ticket',
    schema: {
      id: 'string',
      title: { type: 'string', required: true },
      embedding: { type: 'array', required: true },
    },
    search: { text: ['title'], vector: { path: '/embedding', dimensions: 3 } },
  }),
});
const tickets = createClient<typeof searched>({
  baseUrls: { tickets: 'https://x/api/tickets' },
  getToken: () => undefined,
}).tickets;
const one = await tickets.get('t1');
expectType<string>(one.title);
expectType<unknown[] | undefined>(one.embedding);
const found = (await tickets.search({ text: 'login', select: ['title'] })).items[0];
expectType<unknown[] | undefined>(found?.embedding);
const vector = await tickets.get('t1', { select: ['embedding'] });
expectType<unknown[] | undefined>(vector.embedding);
expectType<string>(vector.id);
// The vector field stays writable on a create.
void tickets.create({ title: 'Login', embedding: [0.1, 0.2, 0.3] });
