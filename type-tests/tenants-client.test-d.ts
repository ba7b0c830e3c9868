import { expectAssignable, expectError, expectType } from 'tsd';
import { defineBackend } from '@atakora/component/backend';
import { CrudApi } from '@atakora/component/crud';
import {
  createClient,
  type Tenant,
  type TenantRecord,
  type TenantStatus,
} from '@atakora/component/client';

const backend = defineBackend(
  {
    notes: CrudApi.define('NoteApi', {
      entityName: 'Note',
      schema: { id: 'string', title: 'string' },
    }),
  },
  {
    auth: { signInAudience: 'AzureADMultipleOrgs', allowedTenants: 'registry' },
    tenants: { plans: { free: {}, pro: { requestsPerMinute: 600 } }, defaultPlan: 'free' },
  },
);
const client = createClient<typeof backend>({
  baseUrls: { notes: 'http://127.0.0.1:7071/api/notes' },
  getToken: () => undefined,
});

// client.tenants: typed records in and out.
expectType<Promise<TenantRecord>>(
  client.tenants.create({ id: 'contoso', plan: 'pro', name: 'Contoso' }),
);
expectType<Promise<TenantRecord>>(client.tenants.get('contoso'));
const record = await client.tenants.get('contoso');
expectType<TenantStatus>(record.status);
expectType<string | undefined>(record.name);
expectType<Promise<TenantRecord>>(
  client.tenants.update('contoso', { status: 'suspended' }, { ifMatch: record }),
);
// A record read back is a valid patch (its read-only fields unchanged); null removes the name.
expectAssignable<Parameters<typeof client.tenants.update>[1]>(record);
expectType<Promise<TenantRecord>>(client.tenants.update('contoso', { name: null }));
for await (const t of client.tenants.list({ first: 50 })) expectType<TenantRecord>(t);
const page = await client.tenants.list().page();
expectType<string | null>(page.continuationToken);

// client.tenant(): the caller's own directory.
const me = await client.tenant();
expectType<Tenant>(me);
expectType<number | undefined>(me.limits.requestsPerMinute);
expectType<Readonly<Record<string, unknown>> | null>(me.usage);

// Misuse.
expectError(client.tenants.create({ plan: 'pro' }));
expectError(client.tenants.update('contoso', { status: 'deleted' }));
expectError(client.tenants.create({ id: 'x', status: 'paused' }));
