import { expectAssignable, expectError, expectNotAssignable, expectType } from 'tsd';
import {
  defineBackend,
  BackendBuilder,
  parseFlags,
  type Backend,
  type Flags,
} from '@atakora/component/backend';
import { CrudApi, type CrudApiHandle } from '@atakora/component/crud';
import { FunctionsApp, type FunctionsAppHandle } from '@atakora/component/functions';

const userApi = CrudApi.define('UserApi', {
  entityName: 'User',
  schema: { id: 'string', name: 'string' },
  partitionKey: '/id',
});
const productApi = CrudApi.define('ProductApi', {
  entityName: 'Product',
  schema: { id: 'string' },
});
const jobs = FunctionsApp.define('Jobs', {
  runtime: 'node',
  functions: { nightly: { trigger: 'timer', schedule: '0 0 2 * * *' } },
});
declare const flags: { users: boolean; jobs: boolean };

// `BackendBuilder<T>` is covariant in T: a builder with more components is a builder with fewer.
const two = defineBackend({ environment: 'dev' }).addComponent(userApi).addComponent(productApi);
expectAssignable<BackendBuilder<{}>>(two);
expectAssignable<BackendBuilder<{ readonly UserApi: CrudApiHandle }>>(two);
expectNotAssignable<BackendBuilder<{ readonly UserApi: FunctionsAppHandle }>>(two);

// The seeds' form: `let b = …; if (flag) b = b.addComponent(…)` compiles, after `when` too.
let b = defineBackend({ environment: 'prod', location: 'eastus' });
if (flags.users) b = b.addComponent(userApi);
b = b.when(flags.jobs, (x) => x.addComponent(jobs));
b = b.withTags({ team: 'x' });
expectAssignable<Backend>(b.build());

// Typed feature flags: what `when` adds is optional; the rest stays required.
const flagged = defineBackend({ environment: 'prod' })
  .when(flags.users, (x) => x.addComponent(userApi))
  .addComponent(productApi)
  .when(flags.jobs, (x) => x.addComponent('jobs', jobs).withMonitoring(true))
  .build();
expectType<string | undefined>(flagged.components.UserApi?.apiEndpoint);
expectType<CrudApiHandle | undefined>(flagged.components.UserApi);
expectType<string | undefined>(flagged.components.jobs?.functionAppName);
expectType<string>(flagged.components.ProductApi.apiEndpoint);
// Using an optional handle without a check is a type error under strict.
// (tsd's expectError does not know TS18048 "possibly undefined"; an unused @ts-expect-error fails instead.)
// @ts-expect-error UserApi may be absent
flagged.components.UserApi.apiEndpoint;
// @ts-expect-error jobs may be absent
flagged.components.jobs.functionAppName;
expectError(flagged.components.Jobs);

// Inside the callback the builder knows the keys taken so far; after it, its keys count as taken.
const withUsers = defineBackend({}).addComponent(userApi);
expectError(withUsers.when(true, (x) => x.addComponent(userApi)));
expectError(
  defineBackend({})
    .when(flags.users, (x) => x.addComponent(userApi))
    .addComponent(userApi),
);
expectError(
  defineBackend({})
    .when(flags.users, (x) => x.addComponent('users', userApi))
    .addComponent('users', productApi),
);
// A `when` callback must return a builder.
expectError(defineBackend({}).when(true, () => 42));

// A long chain stays typed, with no "excessively deep" error (bench/typecheck.ts times 500).
const long = defineBackend({})
  .addComponent(CrudApi.define('A0', { entityName: 'A', schema: { id: 'string' } }))
  .addComponent(CrudApi.define('A1', { entityName: 'A', schema: { id: 'string' } }))
  .addComponent(CrudApi.define('A2', { entityName: 'A', schema: { id: 'string' } }))
  .addComponent(CrudApi.define('A3', { entityName: 'A', schema: { id: 'string' } }))
  .addComponent(CrudApi.define('A4', { entityName: 'A', schema: { id: 'string' } }))
  .addComponent(CrudApi.define('A5', { entityName: 'A', schema: { id: 'string' } }))
  .addComponent(CrudApi.define('A6', { entityName: 'A', schema: { id: 'string' } }))
  .addComponent(CrudApi.define('A7', { entityName: 'A', schema: { id: 'string' } }))
  .when(flags.jobs, (x) => x.addComponent(jobs))
  .addComponent(CrudApi.define('A8', { entityName: 'A', schema: { id: 'string' } }))
  .addComponent(CrudApi.define('A9', { entityName: 'A', schema: { id: 'string' } }));
expectType<string>(long.build().components.A0.apiEndpoint);
expectType<string>(long.build().components.A9.apiEndpoint);
expectError(long.addComponent(CrudApi.define('A4', { entityName: 'B', schema: { id: 'string' } })));
expectError(long.addComponent(jobs));

// Issue 25.4: when() takes a boolean; parseFlags gives one boolean per known flag (and nothing else).
expectError(defineBackend({ environment: 'dev' }).when('false', (x) => x.addComponent(userApi)));
expectError(defineBackend({ environment: 'dev' }).when(undefined, (x) => x.addComponent(userApi)));
expectError(defineBackend({ environment: 'dev' }).when(1, (x) => x.addComponent(userApi)));
const parsed = parseFlags('{"users": true}', { users: false, sessions: false });
expectType<boolean>(parsed.users);
expectType<Flags<'users' | 'sessions'>>(parsed);
expectError(parsed.user);
expectError(parseFlags('{}', { users: 'no' }));
expectAssignable<BackendBuilder<{}>>(
  defineBackend({ environment: 'dev' }).when(parsed.sessions, (x) => x.addComponent(userApi)),
);

// Issue 124: the duplicate-key check (`NotTaken`) spelt `Exclude<K, TKeys> extends never` (no tuple wrapper, for
// the type-check cost); the same answers for a union key as `[Exclude<K, TKeys>] extends [never]`: an error when
// every member is taken, none when one is free.
declare const takenPair: 'A0' | 'A1';
declare const onePairFresh: 'A0' | 'Fresh';
const plainApi = CrudApi.define('Plain', { entityName: 'P', schema: { id: 'string' } });
expectError(long.addComponent(takenPair, plainApi));
expectType<string>(long.addComponent(onePairFresh, plainApi).build().components.Fresh.apiEndpoint);
expectType<string>(long.addComponent('Fresh', plainApi).build().components.Fresh.apiEndpoint);
