import { expectError, expectType } from 'tsd';
import { defineBackend } from '@atakora/component/backend';
import { CrudApi } from '@atakora/component/crud';
import { createClient, type TenantBillingView } from '@atakora/component/client';

const notes = CrudApi.define('NoteApi', {
  entityName: 'Note',
  schema: { id: 'string', title: 'string' },
});
const tenants = {
  by: 'membership',
  createTenants: 'any-user',
  plans: { free: {}, pro: { stripe: { price: 'price_1Pq2Rs3Tu4' } } },
  defaultPlan: 'free',
  billing: { stripe: { secret: 'STRIPE_KEY', webhookSecret: 'STRIPE_WEBHOOK_SECRET', meters: {} } },
} as const;
const backend = defineBackend({ notes }, { tenants });

// The organization's billing: checkout and the portal answer a URL, get() the plan, subscription and preview.
const client = createClient<typeof backend>({
  baseUrls: { notes: 'http://127.0.0.1:7071/api/notes' },
  getToken: () => undefined,
  tenant: 'acme-k3x9qa',
});
expectType<Promise<{ url: string }>>(client.billing.checkout('pro'));
expectType<Promise<{ url: string }>>(client.billing.portal());
const view = await client.billing.get();
expectType<TenantBillingView>(view);
expectType<string | null>(view.status);
expectError(client.billing.checkout({ price: 'price_1Pq2Rs3Tu4' }));

// A component keyed `billing` keeps its key: the CrudApi's client, not the billing routes.
const keyed = defineBackend({ billing: notes }, { tenants });
const other = createClient<typeof keyed>({
  baseUrls: { billing: 'http://127.0.0.1:7071/api/notes' },
  getToken: () => undefined,
});
expectType<Promise<{ id: string; title?: string }>>(
  other.billing.get('n-1') as Promise<{ id: string; title?: string }>,
);
expectError(other.billing.checkout('pro'));
