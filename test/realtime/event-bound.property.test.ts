/**
 * The plan's bound on a realtime event (plan/realtime-event-bound.ts) holds against the real runtime: random
 * bounded schemas, items at their worst (strings at maxLength of control characters, lone surrogates, astral
 * characters, quotes and backslashes; the longest numbers; a 255-unit id, or one at the `maxLength` the schema
 * declares on `id`; a 128-character tenant), created, replaced and patched through the CRUD handlers over the local
 * Cosmos DB server — and, under a bounded id, an item stored before the bound (a 255-unit id) deleted — and every
 * event the runtime hands Web PubSub measured as JSON text, bare and in the JSON subprotocol's envelope.
 */
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { FieldSpec, RuntimeAuth, RuntimeEntity } from '../../src/model/runtime-manifest.js';
import { registerCrudRoutes } from '../../src/runtime/register-routes.js';
import { Publisher } from '../../src/runtime/realtime/publisher.js';
import type { RealtimeService } from '../../src/runtime/realtime/service.js';
import { realtimeEventBound } from '../../src/plan/realtime-event-bound.js';
import { propertyRuns } from '../plan/support/budget.js';
import { invoke } from '../runtime/support/http.js';
import { settings } from '../runtime/support/entities.js';
import { startLocalCosmos, type LocalCosmos } from '../runtime/support/local-cosmos.js';
import { oneTenantPolicy, principalHeader, type User } from './support/realtime-app.js';

const TENANT = `t${'0123456789abcdef'.repeat(8)}`.slice(0, 128);
const policy: RuntimeAuth = oneTenantPolicy(TENANT);
const user: User = { oid: 'a1000000-0000-4000-8000-000000000001', tid: TENANT };

/** The characters that cost most as JSON text, and some that cost little. */
const WORST = ['\u0000', '\u001f', '\ud800', '\udfff', '\u{1f600}', '"', '\\', '\u2028', '€', 'a'];
// An id is well-formed and may not hold / \ ? # nor start or end with whitespace; 255 UTF-16 units at most.
const ID_CHARS = ['\u0001', '\u001f', '"', '€', 'x'];

const text = (chars: readonly string[], length: number) =>
  fc
    .array(fc.constantFrom(...chars), { minLength: length, maxLength: length })
    .map((a) => a.join(''));

const fieldSpec: fc.Arbitrary<FieldSpec> = fc.oneof(
  fc.record({
    type: fc.constant('string' as const),
    required: fc.boolean(),
    maxLength: fc.integer({ min: 0, max: 40 }),
  }),
  fc.record({
    type: fc.constant('string' as const),
    required: fc.boolean(),
    enum: fc.uniqueArray(text(WORST, 3), { minLength: 1, maxLength: 4 }),
  }),
  fc.record({
    type: fc.constantFrom('number' as const, 'integer' as const, 'boolean' as const),
    required: fc.boolean(),
  }),
  fc.record({
    type: fc.constantFrom('timestamp' as const, 'date' as const),
    required: fc.boolean(),
  }),
);

const NUMBERS = [
  -0.0000012345678901234567,
  -1.2345678901234567e-308,
  -Number.MAX_VALUE,
  -5e-324,
  -123456789012345680000,
];
const TIMESTAMPS = ['9999-12-31T23:59:59.999999999+14:00', '2024-02-29t00:00Z', -Number.MAX_VALUE];

/** The largest value a spec admits, drawn from the worst kinds. */
function valueOf(spec: FieldSpec): fc.Arbitrary<unknown> {
  switch (spec.type) {
    case 'string':
      return spec.enum ? fc.constantFrom(...spec.enum) : text(WORST, spec.maxLength ?? 0);
    case 'number':
      return fc.oneof(
        fc.constantFrom(...NUMBERS),
        fc.double({ noNaN: true, noDefaultInfinity: true }),
      );
    case 'integer':
      return fc.oneof(fc.constant(-Number.MAX_SAFE_INTEGER), fc.maxSafeInteger());
    case 'boolean':
      return fc.boolean();
    case 'timestamp':
      return fc.constantFrom(...TIMESTAMPS);
    case 'date':
      return fc.constant('2024-02-29');
    default:
      return fc.constant(null);
  }
}

const FIELD_NAME = /^[a-z][A-Za-z0-9_é€]{0,15}$/;
const RESERVED = ['id', 'ttl', 'tenantId', 'ownerId'];

const entityArb = fc
  .dictionary(fc.stringMatching(FIELD_NAME), fieldSpec, { minKeys: 0, maxKeys: 6 })
  .map((schema) => {
    for (const r of RESERVED) Reflect.deleteProperty(schema, r);
    return schema;
  });

/** One case: a schema, and for each write the item at its worst. */
/** The longest id: 255 UTF-16 units (254 code points) unbounded, else `idMax` code points of the worst kinds. */
const idArb = (idMax: number | undefined) =>
  idMax === undefined
    ? fc
        .tuple(text(ID_CHARS.slice(0, 2), 1), text(ID_CHARS, 251), text(ID_CHARS.slice(0, 2), 1))
        .map(([a, b, c]) => `${a}${b}\u{1f600}${c}`)
    : fc
        .tuple(
          text(ID_CHARS.slice(0, 2), 1),
          text(ID_CHARS, idMax - 2),
          text(ID_CHARS.slice(0, 2), 1),
        )
        .map(([a, b, c]) => `${a}${b}${c}`);

const caseArb = fc
  .record({
    schema: entityArb,
    // The schema may bound id: from a generated id's 36 characters up to Cosmos DB's 255.
    idMax: fc.option(fc.integer({ min: 36, max: 255 }), { nil: undefined }),
  })
  .chain(({ schema, idMax }) => {
    const item = () =>
      fc.record(Object.fromEntries(Object.entries(schema).map(([k, s]) => [k, valueOf(s)])));
    return fc.record({
      schema: fc.constant(schema),
      idMax: fc.constant(idMax),
      id: idArb(idMax),
      // An item stored before id was bounded: a 255-unit id, which a DELETE still reaches.
      legacyId: idArb(undefined),
      created: item(),
      replaced: item(),
      patched: item(),
      // Where the item lives: by id, by tenant (isolated by its key), or by a key outside the schema (2,048 units).
      partitionKey: fc.constantFrom('/id', '/tenantId', '/part'),
      part: text(ID_CHARS, 2048),
      shared: fc.boolean(),
      ttl: fc.boolean(),
      // The schema may declare the tenant field itself, without maxLength: the runtime fills it with the caller's.
      declaresTenant: fc.boolean(),
    });
  });

let cosmos: LocalCosmos;
let seq = 0;

beforeAll(async () => {
  cosmos = await startLocalCosmos();
});
afterAll(async () => {
  await cosmos.stop();
});

/** The events the runtime hands Web PubSub for a create, a replace and a patch of one item. */
async function eventsOf(
  entity: RuntimeEntity,
  id: string,
  writes: { created: object; replaced: object; patched: object },
  part: string,
  legacyId: string | undefined,
): Promise<{ group: string; data: object }[]> {
  const sent: { group: string; data: object }[] = [];
  const service: RealtimeService = {
    send: (group, data) => {
      sent.push({ group, data });
      return Promise.resolve();
    },
    clientUrl: () => Promise.resolve('ws://127.0.0.1:1/client/hubs/atakora'),
  };
  const publisher = new Publisher(service);
  const container = await cosmos.container(`eb${String(++seq)}`, entity.partitionKey);
  const handlers = new Map<string, (r: never, c: never) => unknown>();
  registerCrudRoutes(
    { http: (name, o) => handlers.set(name, o.handler as never) },
    { version: 1, backendId: 'eb', entities: [entity], auth: policy, realtime: { hub: 'atakora' } },
    { containerFor: () => container, caller: policy, realtime: { service, publisher } },
  );
  const headers = principalHeader(user);
  const coll = handlers.get(`${entity.componentId}-collection`) as never;
  const item = handlers.get(`${entity.componentId}-item`) as never;
  const byPart = entity.partitionKey === '/part';
  const extra = {
    ...(byPart ? { part } : {}),
    ...(entity.ttl ? { ttl: Number.MAX_SAFE_INTEGER } : {}),
  };
  const created = await invoke(coll, 'POST', entity.route, {
    body: { ...writes.created, ...extra, id },
    headers,
  });
  expect(created.status, created.text).toBe(201);
  const path = `${entity.route}/${encodeURIComponent(id)}`;
  const at = { headers, params: { id }, ...(byPart ? { query: { pk: part } } : {}) };
  const replaced = await invoke(item, 'PUT', path, {
    body: { ...writes.replaced, ...extra },
    ...at,
  });
  expect(replaced.status, replaced.text).toBe(200);
  const patched = await invoke(item, 'PATCH', path, { body: writes.patched, ...at });
  expect(patched.status, patched.text).toBe(200);
  if (legacyId !== undefined) {
    const isolated = entity.tenancy !== 'shared' || entity.partitionKey === '/tenantId';
    await container.items.create({
      id: legacyId,
      ownerId: user.oid,
      ...(isolated ? { tenantId: TENANT } : {}),
      ...(byPart ? { part } : {}),
    });
    const legacyAt = { ...at, params: { id: legacyId } };
    const legacyPath = `${entity.route}/${encodeURIComponent(legacyId)}`;
    const deleted = await invoke(item, 'DELETE', legacyPath, legacyAt);
    expect(deleted.status, deleted.text).toBe(204);
  }
  await publisher.idle();
  return sent;
}

const utf8 = (s: string) => Buffer.byteLength(s, 'utf8');
/** The message a json.reliable.webpubsub.azure.v1 receiver gets: Azure's envelope with the largest sequenceId. */
const delivered = (group: string, data: object) =>
  `{"type":"message","from":"group","group":${JSON.stringify(group)},"dataType":"json","data":` +
  `${JSON.stringify(data)},"sequenceId":18446744073709551615}`;

describe('the plan’s realtime event bound against the runtime', () => {
  it('no event the runtime sends for a create, replace, update or delete exceeds the bound', async () => {
    await fc.assert(
      fc.asyncProperty(caseArb, async (c) => {
        const entity: RuntimeEntity = {
          componentId: 'BoundApi',
          entityName: 'Bound',
          route: 'bounds',
          partitionKey: c.partitionKey,
          ...(c.shared && c.partitionKey !== '/tenantId' ? { tenancy: 'shared' as const } : {}),
          ...(c.ttl ? { ttl: 3600 } : {}),
          schema: {
            id: {
              type: 'string',
              required: false,
              ...(c.idMax === undefined ? {} : { maxLength: c.idMax }),
            },
            ...c.schema,
            ...(c.declaresTenant && (c.partitionKey === '/tenantId' || !c.shared)
              ? { tenantId: { type: 'string', required: false } }
              : {}),
          },
          operations: ['create', 'read', 'update', 'delete', 'list'],
          unknownFields: 'reject',
          settings: settings('BOUND_API'),
          realtime: true,
        };
        const bound = realtimeEventBound(entity);
        expect(bound.eventBytes).not.toBeNull();
        const legacy = c.idMax === undefined ? undefined : c.legacyId;
        const sent = await eventsOf(entity, c.id, c, c.part, legacy);
        // Each write goes to each audience (the readers' copy without the owner where owners are hidden).
        const operations = sent.map((s) => (s.data as { operation: string }).operation);
        expect([...new Set(operations)]).toEqual(
          legacy === undefined
            ? ['create', 'replace', 'update']
            : ['create', 'replace', 'update', 'delete'],
        );
        // Every id is at its worst: the bound's length (code points), or 255 units for the item stored before it.
        const ids = sent.map((s) => (s.data as { id: string }).id);
        expect(ids.some((i) => [...i].length === (c.idMax ?? 254))).toBe(true);
        expect(sent.some((s) => 'ownerId' in ((s.data as { item?: object }).item ?? {}))).toBe(
          true,
        );
        for (const s of sent) {
          expect(utf8(JSON.stringify(s.data))).toBeLessThanOrEqual(bound.eventBytes!);
          expect(utf8(delivered(s.group, s.data))).toBeLessThanOrEqual(bound.messageBytes);
          const item = (s.data as { item?: Record<string, unknown> }).item;
          if (!item) continue;
          // The fields the runtime adds are there: the owner, and the tenant of an isolated entity.
          if ('ownerId' in item) expect(item['ownerId']).toBe(user.oid);
          expect(item['tenantId']).toBe(entity.tenancy === 'shared' ? undefined : TENANT);
        }
      }),
      // A third of the long run (100) under `npm test`, every case a fresh seed's; ATAKORA_PROPERTY_RUNS=full runs it all.
      { numRuns: propertyRuns(100) },
    );
  });
});
