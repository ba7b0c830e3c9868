// `when` reads the callback's builder through type-only members (backend-builder.ts says why: type-check cost);
// what a user sees of it stays what builder.test-d.ts pins, and these pin the cases that file leaves out.
import { expectAssignable, expectError, expectType } from 'tsd';
import { defineBackend, type BackendBuilder } from '@atakora/component/backend';
import { CrudApi, type CrudApiHandle } from '@atakora/component/crud';
import { FunctionsApp, type FunctionsAppHandle } from '@atakora/component/functions';

const userApi = CrudApi.define('UserApi', { entityName: 'User', schema: { id: 'string' } });
const productApi = CrudApi.define('ProductApi', {
  entityName: 'Product',
  schema: { id: 'string' },
});
const jobs = FunctionsApp.define('Jobs', {
  runtime: 'node',
  functions: { nightly: { trigger: 'timer', schedule: '0 0 2 * * *' } },
});
declare const flags: { users: boolean; jobs: boolean };

// The taken keys do not decide assignability, either way (the type-only keys member is a method's parameter).
declare const takenA: BackendBuilder<{}, 'a'>;
declare const takenNone: BackendBuilder<{}, never>;
declare const takenAB: BackendBuilder<{}, 'a' | 'b'>;
expectAssignable<BackendBuilder<{}, never>>(takenA);
expectAssignable<BackendBuilder<{}, 'a'>>(takenNone);
expectAssignable<BackendBuilder<{}, 'a'>>(takenAB);
expectAssignable<BackendBuilder<{}, 'a' | 'b'>>(takenA);

// A callback that adds nothing keeps every handle as it was.
const unchanged = defineBackend({})
  .addComponent(userApi)
  .when(flags.users, (x) => x.withMonitoring(true))
  .build();
expectType<CrudApiHandle>(unchanged.components.UserApi);

// Two components in one callback: both optional; the ones before stay required.
const both = defineBackend({})
  .addComponent(productApi)
  .when(flags.users, (x) => x.addComponent(userApi).addComponent(jobs))
  .build();
expectType<CrudApiHandle | undefined>(both.components.UserApi);
expectType<FunctionsAppHandle | undefined>(both.components.Jobs);
expectType<CrudApiHandle>(both.components.ProductApi);
expectError(both.components.Other);

// A `when` inside a `when`: what the inner one adds is optional too, and its key counts as taken after both.
const nested = defineBackend({}).when(flags.users, (x) =>
  x.addComponent(userApi).when(flags.jobs, (y) => y.addComponent('jobs', jobs)),
);
expectType<FunctionsAppHandle | undefined>(nested.build().components.jobs);
expectType<CrudApiHandle | undefined>(nested.build().components.UserApi);
expectError(nested.addComponent('jobs', productApi));
expectError(nested.addComponent(userApi));

// A callback given a builder by annotation is checked against the receiver, as before.
const annotated = defineBackend({}).when(flags.users, (x: BackendBuilder) =>
  x.addComponent(userApi),
);
expectType<string | undefined>(annotated.build().components.UserApi?.apiEndpoint);
