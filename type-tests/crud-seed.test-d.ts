import { expectError } from 'tsd';
import { CrudApi } from '@atakora/component/crud';

// `seed`: one .json path for every environment, or one per environment named.
CrudApi.define('OrderApi', {
  entityName: 'Order',
  schema: { id: 'string', total: 'number' },
  seed: './seed/orders.json',
});
CrudApi.define('OrderApi', {
  entityName: 'Order',
  schema: { id: 'string', total: 'number' },
  seed: { dev: './seed/orders.dev.json', test: './seed/orders.test.json' },
});

// The items themselves live in the file, never inline; a path per environment is a string.
expectError(
  CrudApi.define('OrderApi', {
    entityName: 'Order',
    schema: { id: 'string' },
    seed: [{ id: 'o1' }],
  }),
);
expectError(
  CrudApi.define('OrderApi', {
    entityName: 'Order',
    schema: { id: 'string' },
    seed: { dev: 42 },
  }),
);
