import { expectAssignable, expectError, expectType } from 'tsd';
import { defineBackend } from '@atakora/component/backend';
import { CrudApi, type CrudApiHandle } from '@atakora/component/crud';
import { FunctionsApp } from '@atakora/component/functions';
import {
  createClient,
  ProblemError,
  etagOf,
  type CrudClient,
  type ListPage,
} from '@atakora/component/client';

const backend = defineBackend({
  notes: CrudApi.define('NoteApi', {
    entityName: 'Note',
    schema: {
      id: 'string',
      title: { type: 'string', required: true },
      stars: 'integer',
      price: 'number',
      done: 'boolean',
      due: 'date',
      at: 'timestamp',
    },
  }),
  catalog: CrudApi.define('CatalogApi', {
    entityName: 'Product',
    schema: { id: 'string', name: 'string' },
    operations: ['read', 'list'],
  }),
  tickets: CrudApi.define('TicketApi', {
    entityName: 'Ticket',
    schema: { id: 'string', title: { type: 'string', required: true }, embedding: 'array' },
    search: { text: ['title'], vector: { path: 'embedding', dimensions: 3 } },
  }),
  drafts: CrudApi.define('DraftApi', {
    entityName: 'Draft',
    schema: { id: 'string', title: 'string' },
    operations: ['create', 'read'],
    search: { text: ['title'] },
  }),
  jobs: FunctionsApp.define('Jobs', {
    runtime: 'node',
    functions: { tick: { trigger: 'timer', schedule: '0 0 * * * *' } },
  }),
});

// The handles keep their plain type (the schema rides along as a phantom).
expectType<CrudApiHandle>(backend.components.catalog);

const client = createClient<typeof backend>({
  baseUrls: {
    notes: 'https://x/api/notes',
    catalog: 'https://x/api/products',
    tickets: 'https://x/api/tickets',
    drafts: 'https://x/api/drafts',
  },
  getToken: async () => 'token',
});

// Entity types from the schema: 'number'/'integer' → number, required as declared, id always on items.
const note = await client.notes.get('1');
expectType<string>(note.id);
expectType<string>(note.title);
expectType<number | undefined>(note.stars);
expectType<number | undefined>(note.price);
expectType<boolean | undefined>(note.done);
expectType<string | undefined>(note.due);
expectType<string | number | undefined>(note.at);
expectType<string | undefined>(etagOf(note));

// create: required fields required, wrong types and unknown fields are errors.
client.notes.create({ title: 'Milk' });
expectError(client.notes.create({ stars: 3 }));
expectError(client.notes.create({ title: 42 }));
expectError(client.notes.create({ title: 'x', stars: 'three' }));
expectError(client.notes.create({ title: 'x', titel: 'typo' }));

// update: a patch, null removes an optional field, not a required one.
client.notes.update('1', { done: null }, { ifMatch: note });
expectError(client.notes.update('1', { title: null }));
expectError(client.notes.update('1', { price: '9.99' }));
client.notes.replace('1', { title: 'x' }, { ifMatch: '*' });

// Typos in component keys are errors; the FunctionsApp has no client.
expectError(client.note);
expectError(client.jobs);

// A read-only CrudApi has get and list only.
client.catalog.get('p1');
expectError(client.catalog.create({ name: 'x' }));
expectError(client.catalog.update('p1', {}));
expectError(client.catalog.replace('p1', {}));
expectError(client.catalog.delete('p1'));

// list: typed orderBy and select (the selection narrows the item), async iteration, pages.
const selected = client.notes.list({
  select: ['title'],
  orderBy: ['due desc', 'title'],
  filter: 'done eq false',
  first: 10,
});
for await (const n of selected) {
  expectType<string>(n.title);
  expectType<string>(n.id);
  expectError(n.stars);
}
expectType<ListPage<Awaited<ReturnType<typeof client.notes.get>>>>(
  await client.notes.list().page(),
);
expectError(client.notes.list({ orderBy: 'titel' }));
expectError(client.notes.list({ orderBy: 'title up' }));
expectError(client.notes.list({ select: ['titel'] }));
expectError(client.notes.list({ first: '10' }));

// count: where the CrudApi lists, a number (every item the caller may read, or those the filter matches), the
// shape dataOf's count has; a CrudApi without list has none.
expectType<number>(await client.notes.count());
expectType<number>(await client.catalog.count({ filter: "name eq 'x'", partitionKey: 'p' }));
expectError(client.notes.count({ filter: 1 }));
expectError(client.notes.count({ where: 'x' }));
declare const createOnly: CrudClient<{ id: 'string' }, readonly ['create']>;
expectError(createOnly.count());

// groupBy: where the CrudApi lists; the groups typed from the fields and aggregates named.
const grouped = await client.notes.groupBy(['done'], {
  n: '$count',
  stars: { sum: 'stars' },
  top: { max: 'title' },
});
expectType<boolean | undefined>(grouped.items[0]!.done);
expectType<number>(grouped.items[0]!.n);
expectType<number>(grouped.items[0]!.stars);
expectType<string | undefined>(grouped.items[0]!.top);
expectError(client.notes.groupBy(['titel']));
expectError(client.notes.groupBy(['done'], { s: { sum: 'title' } }));
expectError(createOnly.groupBy(['id']));

// search: where the CrudApi declares `search` and lists; a ranked page of the entity's items, each with its score.
const found = await client.tickets.search({ text: 'milk', filter: "title eq 'x'", first: 10 });
expectType<number>(found.items[0]!.score);
expectType<string>(found.items[0]!.title);
expectType<string | null>(found.continuationToken);
expectType<number>(
  (await client.tickets.search({ vector: [0.1, 0.2, 0.3], mode: 'vector' })).items[0]!.score,
);
expectError(client.tickets.search({ text: 'milk', mode: 'fuzzy' }));
expectError(client.tickets.search({ vector: ['1'] }));
expectError(client.tickets.search({ txt: 'milk' }));
// A CrudApi without `search` (its route would answer 404), or one that declares it but does not list: no search().
expectError(client.notes.search({ text: 'milk' }));
expectError(client.catalog.search({ text: 'milk' }));
expectError(client.drafts.search({ text: 'milk' }));
expectError(createOnly.search({ text: 'x' }));

// Options: config (a site's atakora.config.json) or baseUrls, getToken required.
createClient<typeof backend>({
  config: { apis: { notes: 'https://x/api/notes' } },
  getToken: () => undefined,
});
expectError(createClient<typeof backend>({ baseUrls: {} }));

// Problems are typed.
const e = new ProblemError(412, { type: 'urn:atakora:problem:precondition-failed' });
expectType<number>(e.status);
expectType<string>(e.type);
expectType<string>(e.detail);
expectAssignable<Error>(e);

// What a front end acts on is typed: retryAfter, the rate limit's policy, extension members per code.
expectType<number | undefined>(e.retryAfter);
expectType<'tenant' | 'user' | undefined>(e.policy);
expectType<Readonly<Record<string, unknown>>>(e.extensions);
if (e.is('rate-limited')) {
  expectType<'rate-limited'>(e.code);
  expectType<'tenant' | 'user'>(e.extensions.policy);
}
if (e.is('too-many-connections')) {
  expectType<'tenant' | 'user'>(e.extensions.scope);
  expectType<number>(e.extensions.limit);
}
// A code the table does not have is a type error.
expectError(e.is('no-such-problem'));

// A CommonJS project's ES module (.mts) that default-imports the backend's .ts file gets its module.exports
// ({ default: backend }): `typeof backend` there types the same client.
declare const commonJsNamespace: { readonly default: typeof backend };
const fromNamespace = createClient<typeof commonJsNamespace>({
  config: { apis: { notes: 'https://x/api/notes' } },
  getToken: () => undefined,
});
expectType<typeof client.notes>(fromNamespace.notes);
