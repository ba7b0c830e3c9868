import { defineBackend } from '@atakora/component/backend';
import { CrudApi } from '@atakora/component/crud';
export const backend = defineBackend({
  userApi: CrudApi.define('UserApi', { entityName: 'User', schema: { id: 'string', name: 'string' } }),
  productApi: CrudApi.define('ProductApi', { entityName: 'Product', schema: { id: 'string', price: 'number' } }),
}, { backendId: process.env.BID ?? 'userapi', environment: 'prod', location: 'eastus' });
