/**
 * A ready cdktf CLI project: `cdktf synth` (or `npx tsx main.ts`) in this folder writes
 * cdktf.out/stacks/backend/cdk.tf.json; `cdktf deploy` runs Terraform on it. The azurerm provider comes
 * prebuilt with @cdktf/provider-azurerm, so `terraformProviders` stays empty. The `cdktf` command is the CDK for
 * Terraform CLI: `npm install --save-dev cdktf-cli` (`npx tsx main.ts` needs only tsx).
 */
import { App } from 'cdktf';
import { defineBackend } from '@atakora/component/backend';
import { CrudApi } from '@atakora/component/crud';
import { ResourceGroupStack } from '@atakora/component/cdk';

export function main(outdir?: string) {
  const app = new App(outdir ? { outdir } : {});
  const stack = new ResourceGroupStack(app, 'backend', {
    resourceGroupName: 'rg-myapp-dev',
    location: 'eastus',
  });
  const backend = defineBackend(
    {
      todoApi: CrudApi.define('TodoApi', {
        entityName: 'Todo',
        schema: { id: 'string', title: { type: 'string', required: true }, done: 'boolean' },
      }),
    },
    { environment: 'dev', location: 'eastus' },
  );
  backend.addToStack(stack);
  app.synth();
  return backend;
}

if (import.meta.url === `file://${process.argv[1]}`) main();
