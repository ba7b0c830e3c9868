import { expectAssignable, expectError, expectNotAssignable } from 'tsd';
import { CrudApi, type CrudApiConfig } from '@atakora/component/crud';

// CrudApi `tenancy`: 'isolated' (the default) or 'shared'; nothing else.
const shared = CrudApi.define('CatalogApi', {
  entityName: 'Product',
  schema: { id: 'string', name: 'string' },
  tenancy: 'shared',
});
expectAssignable<'CatalogApi'>(shared.componentId);
CrudApi.define('UserApi', { entityName: 'User', schema: { id: 'string' }, tenancy: 'isolated' });
CrudApi.define('UserApi', { entityName: 'User', schema: { id: 'string' } });

expectAssignable<CrudApiConfig['tenancy']>('shared');
expectAssignable<CrudApiConfig['tenancy']>(undefined);
expectNotAssignable<CrudApiConfig['tenancy']>('public');
expectError(
  CrudApi.define('UserApi', { entityName: 'User', schema: { id: 'string' }, tenancy: 'public' }),
);
expectError(
  CrudApi.define('UserApi', { entityName: 'User', schema: { id: 'string' }, tenancy: true }),
);
