import { expectAssignable, expectError, expectType } from 'tsd';
import { App, TerraformStack } from 'cdktf';
import {
  CrudApi,
  FunctionsApp,
  ResourceGroupStack,
  StaticSite,
  defineBackend,
  type ResourceGroupStackProps,
} from '@atakora/component';
import { ResourceGroupStack as CdkResourceGroupStack } from '@atakora/component/cdk';

// The root import is everything (DESIGN §2): components of every subpath and the stack, as value and type.
const stack = new ResourceGroupStack(new App(), 'S', {
  resourceGroupName: 'rg',
  location: 'eastus',
});
expectType<ResourceGroupStack>(stack);
expectAssignable<TerraformStack>(stack);
expectAssignable<CdkResourceGroupStack>(stack);
expectType<string>(stack.resourceGroupName);
expectAssignable<ResourceGroupStackProps>({ resourceGroupName: 'rg', location: 'eastus' });
expectError(new ResourceGroupStack(new App(), 'S', { location: 'eastus' }));

class TeamStack extends ResourceGroupStack {
  readonly team: string = 'platform';
}
expectType<string>(
  new TeamStack(new App(), 'T', { resourceGroupName: 'rg', location: 'eastus' }).team,
);

const backend = defineBackend({
  api: CrudApi.define('Api', { entityName: 'Item', schema: { id: 'string' } }),
  site: StaticSite.define('Site', {}),
  jobs: FunctionsApp.define('Jobs', {
    runtime: 'python',
    codePath: './fn',
    functions: { tick: { trigger: 'timer', schedule: '0 0 * * * *' } },
  }),
});
expectType<string>(backend.components.api.apiEndpoint);
backend.apply(stack);
