import { expectAssignable, expectError, expectType } from 'tsd';
import {
  defineBackend,
  BackendBuilder,
  Backend,
  syncTriggersUrl,
  triggerSyncRequests,
  type AppliedBackend,
  type ResourcePlan,
  type TriggerSyncRequest,
} from '@atakora/component/backend';
import { CrudApi, type CrudApiHandle } from '@atakora/component/crud';
import { ResourceGroupStack } from '@atakora/component/cdk';

const backend = defineBackend(
  {
    userApi: CrudApi.define('UserApi', {
      entityName: 'User',
      schema: { id: 'string', name: 'string' },
      partitionKey: '/id',
    }),
    productApi: CrudApi.define('ProductApi', {
      entityName: 'Product',
      schema: { id: 'string', price: 'number' },
    }),
  },
  { environment: 'prod', location: 'eastus', monitoring: true, tags: { team: 'x' } },
);

// Handles are typed per key; apiEndpoint is a plain string.
expectType<string>(backend.components.userApi.apiEndpoint);
expectType<CrudApiHandle>(backend.components.productApi);
expectType<readonly string[]>(backend.components.userApi.routes);
// A typo is a type error.
expectError(backend.components.userAp);
expectType<ResourcePlan>(backend.plan());

// Config-only → builder.
const b0 = defineBackend({ environment: 'prod', location: 'eastus' });
expectType<BackendBuilder<{}>>(b0);

// The seeds' config-driven builder example compiles unchanged.
const features = { userManagement: true, productCatalog: Math.random() > 0.5 };
let backendBuilder = defineBackend({
  environment: process.env.DEPLOY_ENV || 'production',
  location: 'eastus',
});
if (features.userManagement) {
  backendBuilder = backendBuilder.addComponent(
    CrudApi.define('UserApi', {
      entityName: 'User',
      schema: { id: 'string', name: 'string', email: 'string' },
      partitionKey: '/id',
    }),
  );
}
if (features.productCatalog) {
  backendBuilder = backendBuilder.addComponent(
    CrudApi.define('ProductApi', {
      entityName: 'Product',
      schema: { id: 'string', name: 'string', price: 'number' },
      partitionKey: '/id',
    }),
  );
}
backendBuilder = backendBuilder.withMonitoring({
  enabled: true,
  retentionDays: 90,
  samplingPercentage: 100,
});
backendBuilder = backendBuilder.withNetworking({
  mode: 'isolated',
  vnetName: 'myapp-vnet',
  subnetName: 'backend-subnet',
  privateEndpoints: true,
});
backendBuilder = backendBuilder.withTags({ environment: 'x', project: 'myapp' });
expectAssignable<Backend>(backendBuilder.build());

// Generics accumulate across a chain; keys are the component ids.
const chained = defineBackend({ environment: 'dev' })
  .addComponent(CrudApi.define('UserApi', { entityName: 'User', schema: { id: 'string' } }))
  .addComponent(
    'products',
    CrudApi.define('ProductApi', { entityName: 'Product', schema: { id: 'string' } }),
  )
  .build();
expectType<string>(chained.components.UserApi.apiEndpoint);
expectType<string>(chained.components.products.databaseName);
expectError(chained.components.ProductApi);

// A duplicate literal key is a type error at the call.
const one = defineBackend({}).addComponent(
  CrudApi.define('UserApi', { entityName: 'User', schema: { id: 'string' } }),
);
expectError(
  one.addComponent(CrudApi.define('UserApi', { entityName: 'Admin', schema: { id: 'string' } })),
);
expectError(
  one.addComponent(
    'UserApi',
    CrudApi.define('Other', { entityName: 'Admin', schema: { id: 'string' } }),
  ),
);

// Config fields are typed.
expectError(
  defineBackend(
    { a: CrudApi.define('A', { entityName: 'A', schema: { id: 'string' } }) },
    { networking: 'isolatd' },
  ),
);
expectError(
  defineBackend(
    { a: CrudApi.define('A', { entityName: 'A', schema: { id: 'string' } }) },
    { monitoring: 'yes' },
  ),
);
expectError(
  defineBackend({
    a: CrudApi.define('A', { entityName: 'A', schema: { id: 'string' } }),
    monitoring: 'yes',
  }),
);
expectError(CrudApi.define('A', { entityName: 'A', schema: { id: 'strng' } }));
expectError(
  CrudApi.define('A', { entityName: 'A', schema: { id: 'string' }, operations: ['drop'] }),
);

// The stack.
const stack = {} as ResourceGroupStack;
expectType<string>(stack.resourceGroupName);

// After apply: the handles as deployed, typed as the plan's (per key, per kind), from the backend, from
// in(stack) and from what apply returned.
const applied = backend.apply(stack);
expectType<string>(applied.components.userApi.apiEndpoint);
expectType<CrudApiHandle>(backend.in(stack).components.productApi);
expectType<string>(backend.addToStack(stack).components.productApi.functionAppName);
expectError(backend.in(stack).components.userAp);
expectError(applied.components.userAp);
expectAssignable<AppliedBackend>(applied);
// A route on a CrudApi is a string.
expectError(CrudApi.define('A', { entityName: 'A', schema: { id: 'string' }, route: 42 }));
// Issue 21: the deployer's addresses for an isolated backend's deployment storage, and the trigger-sync helper.
defineBackend(
  { a: CrudApi.define('A', { entityName: 'A', schema: { id: 'string' } }) },
  { networking: { mode: 'isolated', deployerAddresses: ['203.0.113.7'] } },
);
expectError(
  defineBackend(
    { a: CrudApi.define('A', { entityName: 'A', schema: { id: 'string' } }) },
    { networking: { mode: 'isolated', deployerAddresses: '203.0.113.7' } },
  ),
);
expectType<TriggerSyncRequest[]>(triggerSyncRequests({}));
expectType<'POST'>(triggerSyncRequests({})[0]!.method);
expectType<TriggerSyncRequest[]>(triggerSyncRequests({}, 'https://management.usgovcloudapi.net'));
expectError(triggerSyncRequests({}, 1));
expectType<string>(
  syncTriggersUrl('/subscriptions/s/resourceGroups/rg/providers/Microsoft.Web/sites/f'),
);
