import { expectError, expectType } from 'tsd';
import { defineBackend } from '@atakora/component/backend';
import { CrudApi } from '@atakora/component/crud';
import {
  createClient,
  type CreatedInvitation,
  type Invitation,
  type Membership,
  type MyTenant,
  type MyTenantPage,
  type TenantRecord,
} from '@atakora/component/client';

const backend = defineBackend(
  {
    notes: CrudApi.define('NoteApi', {
      entityName: 'Note',
      schema: { id: 'string', title: 'string' },
    }),
  },
  {
    tenants: {
      by: 'membership',
      createTenants: 'any-user',
      plans: { free: {} },
      defaultPlan: 'free',
    },
  },
);

// The organization the client acts in: an id, or a function read at each request.
const client = createClient<typeof backend>({
  baseUrls: { notes: 'http://127.0.0.1:7071/api/notes' },
  getToken: () => undefined,
  tenant: 'acme-k3x9qa',
});
createClient<typeof backend>({
  baseUrls: { notes: 'http://127.0.0.1:7071/api/notes' },
  getToken: () => undefined,
  tenant: () => undefined,
});
expectError(
  createClient<typeof backend>({
    baseUrls: { notes: 'http://127.0.0.1:7071/api/notes' },
    getToken: () => undefined,
    tenant: 42,
  }),
);

// An organization is created by its name; you are its Owner.
expectType<Promise<TenantRecord>>(client.tenants.create({ name: 'Acme' }));
expectType<Promise<MyTenantPage>>(client.me.tenants());
expectType<Promise<MyTenantPage>>(client.me.tenants({ first: 20, after: 'token' }));
const {
  items: [mine],
  continuationToken,
} = await client.me.tenants();
expectType<MyTenant | undefined>(mine);
expectType<string | null>(continuationToken);
expectType<readonly string[] | undefined>(mine?.roles);

// Members and invitations of the organization the client acts in.
for await (const m of client.members.list()) expectType<Membership>(m);
expectType<Promise<Membership>>(client.members.update('u-2', { roles: ['Admin'] }));
expectType<Promise<void>>(client.members.remove('u-2'));
const created = await client.invitations.create({ email: 'bob@example.com', roles: ['Member'] });
expectType<CreatedInvitation>(created);
expectType<string>(created.acceptUrl);
expectType<Promise<Invitation>>(client.invitations.get(created.id));
expectType<Promise<void>>(client.invitations.revoke(created.id));
expectType<Promise<Membership>>(client.invitations.accept('token'));

// Misuse.
expectError(client.members.update('u-2', { role: 'Admin' }));
expectError(client.invitations.create({ roles: ['Member'] }));
expectError(client.tenants.create({ title: 'Acme' }));
