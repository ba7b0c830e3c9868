import type { PlannedResource } from '../../model/plan.js';
import type { BackendProvisioner } from '../../kit/cdktf/provisioner.js';
import { named, regional } from '../../kit/cdktf/provision-context.js';
import { azurerm } from '../../kit/cdktf/cdk-modules.js';
import type { CognitiveDeployment } from '../../kit/cdktf/azurerm-types.js';
import { endpointReadyKey } from '../../kit/cdktf/endpoint-ready.js';
import { grantComponents } from '../component-grants.js';
import { mergedConfigOf } from '../types.js';
import { EMBEDDING_SKU, OPENAI_USER_ROLE, openaiNames, type MergedOpenAiConfig } from './type.js';

/**
 * Azure OpenAI as azurerm v4.55.0 takes it (internal/services/cognitive):
 * - `azurerm_cognitive_account` (cognitive_account_resource.go): `kind` `OpenAI` (in its list), `sku_name` `S0`
 *   (the one SKU of an OpenAI account), `custom_subdomain_name` — Entra ID tokens are accepted only on a custom
 *   subdomain endpoint (Learn, "Authenticate requests to Azure AI services") — the account's own name,
 *   `local_auth_enabled` false (no key works: the provider's default is true), `public_network_access_enabled`
 *   false under isolated networking (the provider's default is true; the network's finalize adds the `account`
 *   private endpoint, facts.ts). Its computed `endpoint` is what the runtime calls — the same
 *   `<subdomain>.openai.azure.com` host, which inside the VNet resolves through the linked private zone to the
 *   endpoint; its `primary_access_key` is never read.
 * - `azurerm_cognitive_deployment` (cognitive_deployment_resource.go): `name`, `cognitive_account_id`, `model`
 *   { `format` `OpenAI`, `name`, `version` }, `sku` { `name` (in its list: `GlobalStandard`), `capacity` (≥ 1,
 *   thousands of tokens a minute) }, `version_upgrade_option` `NoAutoUpgrade`: a new model version returns other
 *   vectors, which would no longer compare with the items' stored ones (the provider's default upgrades).
 *   The provider creates one deployment of an account at a time (`locks.ByID` on the account id); here each also
 *   waits for the one before, so the last is the account's last change and the private endpoint waits for it
 *   (kit/cdktf/endpoint-ready.ts: Azure takes one change of a service at a time).
 *
 * @example
 * ```ts
 * ctx.constructs.set(resource.key, openaiProvisioner.provision(ctx, resource));
 * ```
 */
export const openaiProvisioner: BackendProvisioner = {
  provision(ctx, resource) {
    const c = mergedOpenAi(resource);
    const names = openaiNames(ctx.config.backendId);
    const { CognitiveAccount } = azurerm('cognitive-account');
    const { CognitiveDeployment } = azurerm('cognitive-deployment');
    const isolated = ctx.config.networking.mode === 'isolated';
    const account = named(
      new CognitiveAccount(ctx.scope, names.account, {
        ...regional(ctx, c.accountName),
        kind: 'OpenAI',
        skuName: 'S0',
        customSubdomainName: c.accountName,
        localAuthEnabled: false,
        publicNetworkAccessEnabled: !isolated,
      }),
      names.account,
    );
    let last: CognitiveDeployment | undefined;
    for (const d of c.deployments)
      last = named(
        new CognitiveDeployment(ctx.scope, names.deployment(d.name), {
          name: d.name,
          cognitiveAccountId: account.id,
          model: { format: 'OpenAI', name: d.model, version: d.version },
          sku: { name: EMBEDDING_SKU.name, capacity: EMBEDDING_SKU.capacity },
          versionUpgradeOption: 'NoAutoUpgrade',
          ...(last ? { dependsOn: [last] } : {}),
        }),
        names.deployment(d.name),
      );
    if (last) ctx.constructs.set(endpointReadyKey(resource.key), last);
    return account;
  },
  // Each embedding CrudApi's identity holds the OpenAI user role at the account only; its Function App waits.
  finalize(ctx, resource) {
    const grant = openaiNames(ctx.config.backendId).grant;
    grantComponents(ctx, resource.key, OPENAI_USER_ROLE, mergedOpenAi(resource).users, grant);
  },
};

const mergedOpenAi = (resource: PlannedResource): MergedOpenAiConfig =>
  mergedConfigOf('openai', resource);
