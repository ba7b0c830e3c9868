import { expectError } from 'tsd';
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
