import { CrudApi } from '../../src/components/crud/index.js';

/** The seeds' overview backend: User, Product and Order APIs. */
export const seedsComponents = () => ({
  userApi: CrudApi.define('UserApi', {
    entityName: 'User',
    schema: { id: 'string', name: 'string', email: 'string' },
  }),
  productApi: CrudApi.define('ProductApi', {
    entityName: 'Product',
    schema: { id: 'string', name: 'string', price: 'number' },
  }),
  orderApi: CrudApi.define('OrderApi', {
    entityName: 'Order',
    schema: { id: 'string', userId: 'string', total: 'number' },
  }),
});
