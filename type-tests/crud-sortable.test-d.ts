import { expectAssignable, expectError } from 'tsd';
import { CrudApi, type CrudApiConfig } from '@atakora/component/crud';

// CrudApi `sortable`: field names of the schema, or composite sorts of two or more ('field', 'field desc').
const schema = {
  id: 'string',
  category: 'string',
  price: 'number',
  name: { type: 'string', required: true },
} as const;
const products = CrudApi.define('ProductApi', {
  entityName: 'Product',
  schema,
  sortable: ['price', ['category', 'price desc'], ['category asc', 'name']],
});
expectAssignable<'ProductApi'>(products.componentId);
CrudApi.define('ProductApi', {
  entityName: 'Product',
  schema: { id: 'string', price: 'number' },
  sortable: ['price', 'id'],
});

// A field the schema does not have, a misspelt direction, a composite of one field: type errors at the call.
expectError(CrudApi.define('ProductApi', { entityName: 'Product', schema, sortable: ['prize'] }));
expectError(
  CrudApi.define('ProductApi', {
    entityName: 'Product',
    schema,
    sortable: [['category', 'price down']],
  }),
);
expectError(CrudApi.define('ProductApi', { entityName: 'Product', schema, sortable: [['price']] }));
expectError(
  CrudApi.define('ProductApi', {
    entityName: 'Product',
    schema: { id: 'string' },
    sortable: ['price'],
  }),
);

// The un-parameterised config type still accepts any field names (configs built as data).
expectAssignable<CrudApiConfig['sortable']>(['anything', ['a', 'b desc']]);
