import { expectAssignable, expectError, expectType } from 'tsd';
import {
  defineBackend,
  defineComponent,
  type ApiAuthInfo,
  type SiteAuthInfo,
} from '@atakora/component/backend';
import { CrudApi } from '@atakora/component/crud';
import { FunctionsApp, type FunctionsAppHandle } from '@atakora/component/functions';
import {
  StaticSite,
  StaticSiteWithCdn,
  type StaticSiteHandle,
  type StaticSiteWithCdnHandle,
} from '@atakora/component/web';

const backend = defineBackend({
  users: CrudApi.define('UserApi', { entityName: 'User', schema: { id: 'string' } }),
  jobs: FunctionsApp.define('Jobs', {
    runtime: 'node',
    functions: { nightly: { trigger: 'timer', schedule: '0 0 2 * * *' } },
  }),
  admin: StaticSite.define('AdminPortal', { sourceDirectory: './admin' }),
  web: StaticSiteWithCdn.define('Web', { enableSpaMode: true }),
  uploads: defineComponent({
    type: 'Uploads',
    id: 'Uploads',
    config: { container: 'uploads' },
    requirements: (c) => [
      { resourceType: 'storage', requirementKey: 'uploads', config: { containers: [c.container] } },
    ],
    outputs: (c) => ({ container: c.container, count: 1 }),
  }),
});

// Handle types per kind.
expectType<FunctionsAppHandle>(backend.components.jobs);
expectType<string>(backend.components.jobs.functionAppName);
expectAssignable<StaticSiteHandle>(backend.components.admin);
expectType<'StaticSite'>(backend.components.admin.componentType);
expectType<string>(backend.components.admin.url);
expectType<StaticSiteWithCdnHandle>(backend.components.web);
expectType<string>(backend.components.web.cdnEndpoint);
expectType<string>(backend.components.uploads.container);
expectType<number>(backend.components.uploads.count);
expectType<'Uploads'>(backend.components.uploads.componentType);
expectError(backend.components.admin.cdnEndpoint);
expectError(backend.components.uploads.missing);

// Misuse of component configs is a type error.
expectError(FunctionsApp.define('J', { runtime: 'cobol', functions: {} }));
expectError(FunctionsApp.define('J', { runtime: 'node', functions: { f: { trigger: 'email' } } }));
expectError(defineComponent({ type: 'X', id: 'X', config: {} }));

// Sign-in values (issue 22): the API's on API handles, the site's (with its own client id) on site handles.
expectType<ApiAuthInfo | undefined>(backend.components.users.auth);
expectType<ApiAuthInfo | undefined>(backend.components.jobs.auth);
expectType<SiteAuthInfo | undefined>(backend.components.admin.auth);
expectType<string | undefined>(backend.components.web.auth?.apiClientId);
expectType<readonly string[] | undefined>(backend.components.admin.auth?.redirectUris);
expectError(backend.components.users.auth?.redirectUris);
