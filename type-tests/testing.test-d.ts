import { expectError, expectType } from 'tsd';
import { defineBackend } from '@atakora/component/backend';
import { CrudApi } from '@atakora/component/crud';
import { startBackend, type TestBackend, type TestSession } from '@atakora/component/testing';

const backend = defineBackend({
  tickets: CrudApi.define('TicketApi', {
    entityName: 'Ticket',
    schema: {
      id: 'string',
      title: { type: 'string', required: true },
      status: { type: 'string', enum: ['open', 'closed'], default: 'open' },
    },
  }),
});

declare const t: TestBackend;
expectType<Promise<TestBackend>>(startBackend(backend));
expectType<TestSession>(t.as({ user: 'alice', directory: 'contoso', roles: ['Agent'] }));
expectType<TestSession>(t.as({ user: 'alice@example.com', tenant: 'acme' }));
expectType<TestSession>(t.as('anonymous'));
expectType<Promise<Response>>(t.as('anonymous').fetch('api/stats'));

// The typed client as the caller: the backend's keys and shapes.
const client = t.as({ user: 'alice' }).client<typeof backend>();
const created = client.tickets.create({ title: 'From a test' });
expectType<'open' | 'closed'>((await created).status);
expectError(client.tickets.create({}));
expectError(client.notes);

// A caller is named by its user; a misspelt field or a role list of non-strings is no caller.
expectError(t.as({ usr: 'alice' }));
expectError(t.as({ user: 'alice', roles: 'Agent' }));
expectError(t.as('alice'));
expectError(startBackend(backend, { environment: 1 }));

// What an .mts test of a CommonJS project imports (module.exports): taken as the backend inside.
expectType<Promise<TestBackend>>(startBackend({ default: backend }));
expectError(startBackend({ default: 1 }));
expectError(startBackend(backend.plan()));
