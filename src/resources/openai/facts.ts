import { globalDnsName } from '../../kit/pure/names/azure-name-rules.js';
import { defineResourceFacts } from '../../kit/pure/resources/resource-facts.js';
import { DEFAULT_EMBEDDING_MODEL, EMBEDDING_MODELS } from '../../model/embedding-models.js';

/**
 * What the estimate assumes a month of embedding costs: {@link ASSUMED_TOKENS_PER_MONTH} tokens through each
 * deployment (about 20,000 item writes of ~200 tokens and 100,000 searches of ~10 tokens), at the model's Global
 * Standard price per 1M tokens (model/embedding-models.ts). The account itself (S0) costs nothing: Azure OpenAI
 * bills the tokens of pay-as-you-go deployments only.
 */
export const ASSUMED_TOKENS_PER_MONTH = 5_000_000;

/**
 * Azure OpenAI's facts: no data held (text is embedded, not stored; Learn, "Data, privacy, and security for Azure
 * OpenAI"), a global name — the account's custom subdomain is its `<name>.openai.azure.com` host, which Entra ID
 * auth requires (Learn, "Authenticate requests to Azure AI services", custom subdomain; azurerm v4.55.0 validates
 * the account name only as `^[a-zA-Z0-9][a-zA-Z0-9_.-]+$`, internal/services/cognitive/validate/account_name.go,
 * and the subdomain as non-empty: the DNS rule here, 2 to 64 letters, digits and hyphens, is the stricter of both),
 * the resource provider `Microsoft.CognitiveServices`, which azurerm registers itself (its `Legacy` set,
 * internal/resourceproviders/required.go@v4.55.0), and its Private Link target under isolated networking: subresource
 * (group id) `account` in the zone `privatelink.openai.azure.com` (Learn, "Azure Private Endpoint private DNS zone
 * values", AI + Machine Learning: Azure AI services `Microsoft.CognitiveServices/accounts`). An OpenAI account's
 * endpoint is `<subdomain>.openai.azure.com`, which public DNS points at `<subdomain>.privatelink.openai.azure.com`:
 * that one zone resolves it, so the cognitiveservices zone the same group id also names is not needed.
 */
export const openaiFacts = defineResourceFacts({
  dataHolding: false,
  terraformTypes: { globalName: ['azurerm_cognitive_account'] },
  name: globalDnsName(2, 64),
  privateLink: { targets: [{ subresource: 'account', zone: 'privatelink.openai.azure.com' }] },
  resourceProviders: [
    {
      namespace: 'Microsoft.CognitiveServices',
      terraformTypes: ['azurerm_cognitive_'],
      registeredByAzurerm: true,
    },
  ],
  sample: {
    requirements: [
      {
        resourceType: 'functions',
        config: {
          runtime: 'node',
          functionCount: 2,
          crudRuntime: true,
          crudEntities: [
            {
              // The conformance suite's sample component (test/support/conformance.ts): its identity embeds.
              componentId: 'Sample',
              search: {
                vector: {
                  field: 'embedding',
                  dimensions: 1536,
                  distance: 'cosine',
                  index: 'diskANN',
                  embed: { from: ['title'], deployment: 'embed', model: DEFAULT_EMBEDDING_MODEL },
                },
              },
            },
          ],
        },
      },
    ],
  },
  price: {
    model:
      `per 1M tokens embedded (${Object.entries(EMBEDDING_MODELS)
        .map(([m, f]) => `${m} $${String(f.usdPerMillionTokens)}`)
        .join(', ')}, Global Standard), at an assumed ` +
      `${ASSUMED_TOKENS_PER_MONTH.toLocaleString('en-US')} tokens a month per deployment; the account is free`,
    sources: [
      'https://azure.microsoft.com/pricing/details/cognitive-services/openai-service/',
      'https://learn.microsoft.com/azure/ai-foundry/openai/how-to/deployment-types',
    ],
  },
  // azurerm v4.55.0: the account's name and kind are ForceNew, its custom subdomain once set; a deployment's name,
  // model and sku name are ForceNew (internal/services/cognitive/cognitive_deployment_resource.go).
  forcesNew: (path) => path[0] === 'accountName' || path[0] === 'deployments',
});
