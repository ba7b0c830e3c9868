import { App } from 'cdktf';
import { CrudApi } from '@atakora/component/crud';
import { ResourceGroupStack } from '@atakora/component/cdk';
import { writeFileSync } from 'node:fs';
const app = new App({ outdir: '/tmp/mig/out' });
const stack = new ResourceGroupStack(app, 'MyStack', { resourceGroupName: 'rg-myapp-prod', location: 'eastus' });
const userApi = new CrudApi(stack, 'UserApi', { entityName: 'User', schema: { id: 'string', name: 'string' }, environment: 'prod' });
writeFileSync('/tmp/mig/before.json', JSON.stringify(userApi.backend.plan(), null, 2));
