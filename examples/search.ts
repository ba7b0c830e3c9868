/**
 * Search on a CrudApi (docs/search.md): Cosmos DB's full-text and vector search, planned and made. Three backends:
 *
 * - `textSearch`: full text over a help centre's articles (en-US, generally available: no account capability);
 * - `vectorSearch`: tickets searched by text, by meaning and both (hybrid), each ticket embedded by Azure OpenAI
 *   from its title and body (`embed`: the account, the deployment and the app's role are planned);
 * - `isolatedSearch`: the same search on an isolated backend — private endpoints for Cosmos DB and Azure OpenAI,
 *   public access off.
 *
 * A search container is made by `atakora deploy` through Resource Manager after Terraform (azurerm declares no
 * full-text or vector policy): created with its policies at api-version 2025-10-15, compared as Azure echoes it on
 * every later deploy (nothing written when equal), its components' data roles granted on it. Vector search enables
 * `EnableNoSQLVectorSearch` on the account — at creation by Terraform, in place by `atakora deploy` on an account
 * already deployed (never a replacement).
 *
 *   npx atakora plan examples/search.ts
 *   npx atakora dev examples/search.ts vectorSearch    # search, ranking and a local embedder on your machine
 */
import { App } from 'cdktf';
import { defineBackend } from '@atakora/component/backend';
import { CrudApi } from '@atakora/component/crud';
import { ResourceGroupStack } from '@atakora/component/cdk';

const articles = () =>
  CrudApi.define('ArticleApi', {
    entityName: 'Article',
    schema: { id: 'string', title: 'string', body: 'string', product: 'string' },
    operations: ['create', 'read', 'update', 'delete', 'list'],
    search: { text: ['title', 'body'] },
  });

const tickets = () =>
  CrudApi.define('TicketApi', {
    entityName: 'Ticket',
    schema: { id: 'string', title: 'string', body: 'string', status: 'string', embedding: 'array' },
    search: {
      text: ['title', 'body'],
      vector: {
        path: 'embedding',
        dimensions: 1536,
        embed: { from: ['title', 'body'], deployment: 'embed-small' },
      },
    },
  });

/** Full-text search only. */
export const textSearch = defineBackend(
  { articles: articles() },
  { backendId: 'helpcentre', environment: 'prod', location: 'westeurope' },
);

/** Text, vector and hybrid search, embedded by Azure OpenAI. */
export const vectorSearch = defineBackend(
  { tickets: tickets() },
  { backendId: 'servicedesk', environment: 'prod', location: 'swedencentral' },
);

/** The same search behind private endpoints. */
export const isolatedSearch = defineBackend(
  { tickets: tickets(), articles: articles() },
  {
    backendId: 'privdesk',
    environment: 'prod',
    location: 'swedencentral',
    networking: { mode: 'isolated', deployerAddresses: ['203.0.113.0/24'] },
  },
);

/** The three backends in their stacks, as `atakora synth examples/search.ts` writes them. */
export function synthSearch(outdir = 'cdktf.out') {
  const app = new App({ outdir });
  const stacks = [
    ['TextSearchStack', textSearch, 'westeurope'],
    ['VectorSearchStack', vectorSearch, 'swedencentral'],
    ['IsolatedSearchStack', isolatedSearch, 'swedencentral'],
  ] as const;
  for (const [id, backend, location] of stacks)
    backend.addToStack(
      new ResourceGroupStack(app, id, { resourceGroupName: `rg-${id.toLowerCase()}`, location }),
    );
  app.synth();
  return { app, textSearch, vectorSearch, isolatedSearch };
}

if (import.meta.url === `file://${process.argv[1]}`) synthSearch();
