import { expectError, expectType } from 'tsd';
import WebSocket from 'ws';
import { defineBackend } from '@atakora/component/backend';
import { CrudApi } from '@atakora/component/crud';
import {
  createClient,
  type LiveSubscription,
  type RealtimeEventOf,
} from '@atakora/component/client';

const backend = defineBackend(
  {
    notes: CrudApi.define('NoteApi', {
      entityName: 'Note',
      schema: { id: 'string', title: { type: 'string', required: true }, done: 'boolean' },
      realtime: true,
    }),
    labels: CrudApi.define('TagApi', {
      entityName: 'Tag',
      schema: { id: 'string', label: 'string' },
    }),
    off: CrudApi.define('OffApi', {
      entityName: 'Off',
      schema: { id: 'string' },
      realtime: false,
    }),
  },
  { realtime: { sku: 'Standard_S1', units: 2 } },
);

// The ws package's WebSocket fits the option (Node 20 has none of its own).
const client = createClient<typeof backend>({
  WebSocket,
  baseUrls: {
    notes: 'https://x/api/notes',
    labels: 'https://x/api/tags',
    off: 'https://x/api/offs',
  },
  getToken: () => undefined,
});

// watch: events typed by the schema; a delete has no item.
const w = client.notes.watch({ filter: 'done eq false' }, (e) => {
  expectType<'create' | 'replace' | 'update' | 'delete'>(e.operation);
  expectType<string>(e.id);
  if (e.operation === 'delete') expectType<undefined>(e.item);
  else {
    expectType<string | undefined>(e.item?.title);
    expectType<boolean | undefined>(e.item?.done);
  }
});
expectType<LiveSubscription>(w);
w.close();

// live: the first page kept up to date, typed as list's page; `count` only when asked for.
client.notes.live({ filter: 'done eq false', orderBy: 'title desc' }, (s) => {
  expectType<string>(s.items[0]!.title);
  expectError(s.count);
});
client.notes.live({ count: true }, (s) => {
  expectType<number>(s.count);
});
client.notes.live({ select: ['title'] }, (s) => {
  expectType<string>(s.items[0]!.title);
  expectError(s.items[0]!.done);
});
client.notes.live(undefined, (s) => s.items.length, { onError: (e) => e.message });

// Typed events from outside a callback.
const onEvent = (e: RealtimeEventOf<{ id: string; title: string }>) => e.id;
client.notes.watch(undefined, onEvent);

// Only CrudApis with realtime: true have them.
expectError(client.labels.watch(undefined, () => undefined));
expectError(client.off.live(undefined, () => undefined));
// Misuse: an unknown field in select, a wrong callback shape.
expectError(client.notes.live({ select: ['nope'] }, () => undefined));
expectError(client.notes.watch({ filter: 42 }, () => undefined));

// The backend's realtime config is checked.
expectError(defineBackend({}, { realtime: { sku: 'Basic' } }));
expectError(defineBackend({}, { realtime: { units: '2' } }));
// realtime on a CrudApi is a boolean.
expectError(
  CrudApi.define('BadApi', { entityName: 'Bad', schema: { id: 'string' }, realtime: 'yes' }),
);
