/**
 * The package registers a CrudApi's onChange as a Cosmos DB trigger (latest-version change feed) with the
 * planned lease container and an identity-based connection; each document of a batch reaches the handler as a
 * ChangeEvent, and a failing handler is logged without stopping the batch. Under `atakora dev`
 * (ATAKORA_CHANGE_DELIVERY=inline) nothing is registered: the runtime calls the handler after each write.
 */
import type { CosmosDBv4LatestVersionFunctionOptions } from '@azure/functions';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  type HostedRegistrar,
  registerHostedFunctions,
} from '../../src/packaging/register-hosted.js';
import type { ChangeEvent } from '../../src/runtime/events/change-dispatch.js';
import { changeEventOf, stampChange } from '../../src/runtime/events/change-feed.js';
import { CHANGE_OPERATION_FIELD, SYSTEM_FIELDS } from '../../src/runtime/values/system-fields.js';
import { makeContext } from '../runtime/support/http.js';

const planned = {
  name: 'BookingApi-onchange',
  componentId: 'BookingApi',
  trigger: 'change' as const,
  handler: './src/on-booking.ts',
  connection: 'BOOKING_API_CHANGE_FEED',
  database: 'booking-db',
  container: 'booking',
  leaseContainer: 'booking-leases',
};

function recorder() {
  const triggers = new Map<string, CosmosDBv4LatestVersionFunctionOptions>();
  const app: HostedRegistrar = {
    http: () => undefined,
    storageQueue: () => undefined,
    timer: () => undefined,
    cosmosDB: (name, options) => {
      triggers.set(name, options);
    },
  };
  return { app, triggers };
}

describe('the change feed trigger of onChange', () => {
  it('registers the trigger on the entity container with the planned lease container and connection', () => {
    const { app, triggers } = recorder();
    registerHostedFunctions(app, [{ ...planned, exported: () => undefined }], {});
    expect([...triggers.keys()]).toEqual(['BookingApi-onchange']);
    expect(triggers.get('BookingApi-onchange')).toMatchObject({
      connection: 'BOOKING_API_CHANGE_FEED',
      databaseName: 'booking-db',
      containerName: 'booking',
      leaseContainerName: 'booking-leases',
      createLeaseContainerIfNotExists: false,
    });
    // No retry policy: a failed batch is not retried forever (the lease moves on; see change-feed.ts).
    expect(triggers.get('BookingApi-onchange')).not.toHaveProperty('retry');
  });

  it('turns each document of a batch into a ChangeEvent, in feed order, without system or hidden fields', async () => {
    const { app, triggers } = recorder();
    const seen: ChangeEvent[] = [];
    registerHostedFunctions(
      app,
      [
        {
          ...planned,
          exported: (e: ChangeEvent) => {
            seen.push(e);
          },
        },
      ],
      {},
    );
    const documents = [
      {
        id: 'b1',
        tenantId: 't1',
        title: 'new',
        ownerId: 'u1',
        [CHANGE_OPERATION_FIELD]: 'create',
        _rid: 'r',
        _self: 's',
        _etag: '"1"',
        _attachments: 'a',
        _ts: 1,
        _lsn: 3,
      },
      { id: 'b1', tenantId: 't1', title: 'all new', [CHANGE_OPERATION_FIELD]: 'replace', _ts: 2 },
      { id: 'b2', title: 'shared', [CHANGE_OPERATION_FIELD]: 'update', _etag: '"2"' },
      { id: 'b3', title: 'written by another tool' },
    ];
    await triggers.get('BookingApi-onchange')!.handler(documents, makeContext());
    expect(seen).toEqual([
      {
        operation: 'create',
        item: { id: 'b1', tenantId: 't1', title: 'new', ownerId: 'u1' },
        tenant: 't1',
      },
      { operation: 'replace', item: { id: 'b1', tenantId: 't1', title: 'all new' }, tenant: 't1' },
      { operation: 'update', item: { id: 'b2', title: 'shared' } },
      { operation: 'update', item: { id: 'b3', title: 'written by another tool' } },
    ]);
  });

  it('a failing handler is logged and the rest of the batch still runs; the invocation succeeds', async () => {
    const { app, triggers } = recorder();
    const seen: string[] = [];
    const lines: { level: string; message: string }[] = [];
    registerHostedFunctions(
      app,
      [
        {
          ...planned,
          exported: ({ item }: ChangeEvent) => {
            seen.push(String(item['id']));
            if (item['id'] === 'bad') throw new Error('mail server down');
          },
        },
      ],
      {},
    );
    const batch = [
      { id: 'bad', [CHANGE_OPERATION_FIELD]: 'create' },
      { id: 'good', [CHANGE_OPERATION_FIELD]: 'create' },
    ];
    await expect(
      triggers.get('BookingApi-onchange')!.handler(batch, makeContext(lines)),
    ).resolves.toBeUndefined();
    expect(seen).toEqual(['bad', 'good']);
    expect(lines).toHaveLength(1);
    expect(JSON.parse(lines[0]!.message)).toMatchObject({
      component: 'BookingApi',
      outcome: 'handler_failed',
      change: 'create',
      itemId: 'bad',
      message: 'mail server down',
    });
  });

  it("under atakora dev (inline delivery) hears only other writers: the runtime's own writes were delivered inline", async () => {
    const { app, triggers } = recorder();
    const seen: string[] = [];
    expect(
      registerHostedFunctions(
        app,
        [
          {
            ...planned,
            exported: ({ operation, item }: ChangeEvent) =>
              seen.push(`${operation} ${String(item['id'])}`),
          },
        ],
        { ATAKORA_CHANGE_DELIVERY: 'inline' },
      ),
    ).toEqual(['BookingApi-onchange']);
    const batch = [
      { id: 'api-create', [CHANGE_OPERATION_FIELD]: 'create' },
      { id: 'api-put', [CHANGE_OPERATION_FIELD]: 'replace' },
      { id: 'api-patch', [CHANGE_OPERATION_FIELD]: 'update' },
      { id: 'migrated', [CHANGE_OPERATION_FIELD]: 'migrate' },
      { id: 'seeded' },
    ];
    await triggers.get('BookingApi-onchange')!.handler(batch, makeContext([]));
    expect(seen).toEqual(['migrate migrated', 'update seeded']);
  });

  it('refuses a change function without its container', () => {
    const { app } = recorder();
    const { leaseContainer: _l, ...incomplete } = planned;
    expect(() =>
      registerHostedFunctions(app, [{ ...incomplete, exported: () => undefined }], {}),
    ).toThrow(/FUNCTIONS_CHANGE_TRIGGER_INCOMPLETE/);
  });
});

describe('document → ChangeEvent (property)', () => {
  const operation = fc.constantFrom('create' as const, 'replace' as const, 'update' as const);
  const key = fc.string({ minLength: 1, maxLength: 8 }).filter((k) => k !== '__proto__');
  const item = fc.dictionary(key, fc.jsonValue(), { maxKeys: 6 }).map((d) => ({ ...d, id: 'x' }));
  const system = fc.record(
    { _rid: fc.string(), _etag: fc.string(), _ts: fc.nat(), _lsn: fc.nat() },
    { requiredKeys: [] },
  );

  it('round-trips the stamped operation; no system or hidden field ever reaches the handler', () => {
    fc.assert(
      fc.property(item, operation, system, (fields, op, sys) => {
        const stored = { ...stampChange({ ...fields }, op), ...sys };
        const event = changeEventOf(stored)!;
        expect(event.operation).toBe(op);
        for (const f of SYSTEM_FIELDS) expect(Object.hasOwn(event.item, f)).toBe(false);
        // Everything else is the item as written (its own fields, none dropped or changed).
        const expected = Object.fromEntries(
          Object.entries(fields).filter(([k]) => !SYSTEM_FIELDS.includes(k)),
        );
        expect(event.item).toEqual(expected);
        const tenant = (fields as Record<string, unknown>)['tenantId'];
        expect(event.tenant).toBe(typeof tenant === 'string' && tenant !== '' ? tenant : undefined);
      }),
    );
  });

  it('an unknown or missing stamp is an update, never a create or a delete', () => {
    fc.assert(
      fc.property(item, fc.option(fc.jsonValue()), (fields, stamp) => {
        fc.pre(!(typeof stamp === 'string' && ['create', 'replace', 'update'].includes(stamp)));
        const event = changeEventOf(
          stamp === null ? fields : { ...fields, [CHANGE_OPERATION_FIELD]: stamp },
        )!;
        expect(event.operation).toBe('update');
        expect(Object.hasOwn(event.item, CHANGE_OPERATION_FIELD)).toBe(false);
      }),
    );
  });

  it('a value that is no item maps to nothing', () => {
    fc.assert(
      fc.property(
        fc.oneof(fc.constant(null), fc.string(), fc.integer(), fc.array(fc.jsonValue())),
        (value) => {
          expect(changeEventOf(value)).toBeUndefined();
        },
      ),
    );
  });
});
