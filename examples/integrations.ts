/**
 * Integrations (docs/integrations.md): organization API keys on a backend of organizations. A customer's Owner or
 * Admin creates a key for their nightly export (`POST api/tenant/api-keys`, the key shown once), and their script
 * calls the API with it as a member of the key's role in that one organization — the same access rules, plan,
 * limits, usage ledger and audit log (`via: 'api-key'`) as a person of that role, never the people routes. And the
 * same Owner registers an outbound webhook (`POST api/tenant/webhooks`, the `whsec_` secret shown once): every new
 * order and every member who joins is POSTed to their endpoint, signed as Standard Webhooks says, which their
 * receiver verifies with the `standardwebhooks` library (`receiveOrderEvent` below).
 *
 *   npx atakora plan examples/integrations.ts
 *   npx atakora dev examples/integrations.ts
 */
import { App } from 'cdktf';
import { defineBackend } from '@atakora/component/backend';
import { ResourceGroupStack } from '@atakora/component/cdk';
import { createClient } from '@atakora/component/client';
import { CrudApi } from '@atakora/component/crud';
import { Webhook } from 'standardwebhooks';

const orders = CrudApi.define('OrderApi', {
  entityName: 'Order',
  schema: { id: 'string', customer: { type: 'string', required: true }, total: 'number' },
  access: [
    // People and keys of role Admin write; Members and Readers read (a warehouse sync's key is a Reader). Owners
    // read every order: a webhook carries only what an Owner reads, so without this rule no order reaches one.
    { allow: 'role', role: 'Owner', operations: ['read', 'list'] },
    { allow: 'role', role: 'Admin' },
    { allow: 'role', role: 'Member', operations: ['read', 'list', 'create'] },
    { allow: 'role', role: 'Reader', operations: ['read', 'list'] },
  ],
  audit: true,
});

/** Keys on the `team` plan only: at most 10 an organization, Readers and Members, each for at most a year. */
export const integrations = defineBackend(
  { orders },
  {
    backendId: 'integrations',
    environment: 'prod',
    location: 'westeurope',
    tenants: {
      by: 'membership',
      createTenants: 'any-user',
      roles: ['Admin', 'Member', 'Reader'],
      plans: { free: { features: [] }, team: { features: ['audit', 'api-keys', 'webhooks'] } },
      defaultPlan: 'free',
      apiKeys: { perOrganization: 10, roles: ['Reader', 'Member'], maxDays: 365 },
    },
  },
);
export default integrations;

/**
 * An Owner's client creates a key; the nightly job's client is the key. `api` is the backend's URL
 * (`https://<app>.azurewebsites.net/api`), `signIn` the Owner's Entra token, `org` their organization's id.
 *
 * @example
 * ```ts
 * const rows = await nightlyExport('https://func-integrations.azurewebsites.net/api', signIn, 'acme-k3x9qa');
 * ```
 */
export async function nightlyExport(
  api: string,
  signIn: () => Promise<string>,
  org: string,
): Promise<readonly unknown[]> {
  const owner = createClient<typeof integrations>({
    baseUrls: { orders: `${api}/orders` },
    getToken: signIn,
    tenant: org,
  });
  // Shown this once: keep it in the job's secret store (a Key Vault secret), never in code.
  const { key } = await owner.tenant.apiKeys.create({
    name: 'warehouse sync',
    role: 'Reader',
    expiresInDays: 90,
  });
  // The key names its organization: no tenant header is needed.
  const job = createClient<typeof integrations>({
    baseUrls: { orders: `${api}/orders` },
    getToken: () => key,
  });
  const rows: unknown[] = [];
  for await (const order of job.orders.list()) rows.push(order);
  return rows;
}

/**
 * An Owner registers the customer's endpoint for new orders and new members; the secret is shown this once and
 * belongs in the receiver's configuration.
 *
 * @example
 * ```ts
 * const secret = await subscribeOrders('https://func-integrations.azurewebsites.net/api', signIn, 'acme-k3x9qa');
 * ```
 */
export async function subscribeOrders(
  api: string,
  signIn: () => Promise<string>,
  org: string,
): Promise<string> {
  const owner = createClient<typeof integrations>({
    baseUrls: { orders: `${api}/orders` },
    getToken: signIn,
    tenant: org,
  });
  const { secret } = await owner.tenant.webhooks.create({
    url: 'https://hooks.example.com/atakora',
    events: ['order.created', 'member.added'],
  });
  return secret;
}

/**
 * The customer's receiver: the raw body and headers as they arrived, verified before anything is trusted (a bad
 * signature, or a timestamp more than 5 minutes off — a replay — throws); `webhook-id` is the idempotency key.
 *
 * @example
 * ```ts
 * const event = receiveOrderEvent(secret, rawBody, headers); // { type: 'order.created', data: { id, customer, total } }
 * ```
 */
export function receiveOrderEvent(
  secret: string,
  rawBody: string,
  headers: Record<string, string>,
): { type: string; tenant: string; data: Record<string, unknown> } {
  return new Webhook(secret).verify(rawBody, headers) as {
    type: string;
    tenant: string;
    data: Record<string, unknown>;
  };
}

/** The backend in its stack, as `atakora synth examples/integrations.ts` writes it. */
export function synthIntegrations(outdir = 'cdktf.out') {
  const app = new App({ outdir });
  integrations.addToStack(
    new ResourceGroupStack(app, 'IntegrationsStack', {
      resourceGroupName: 'rg-integrations-prod',
      location: 'westeurope',
    }),
  );
  app.synth();
  return { app, integrations };
}

if (import.meta.url === `file://${process.argv[1]}`) synthIntegrations();
