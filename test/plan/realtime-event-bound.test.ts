/**
 * The plan's bound on one realtime event (plan/realtime-event-bound.ts): what leaves it unbounded (1 MB, 489
 * messages), the runtime limits it repeats, and what a bounded schema does to a tenant plan's realtime line.
 * test/realtime/event-bound.property.test.ts checks the bound against the runtime's actual events.
 */
import { describe, expect, it } from 'vitest';
import { defineBackend } from '../../src/backend/define-backend.js';
import { CrudApi, type FieldDefinition } from '../../src/components/crud/index.js';
import { MAX_EVENT_BYTES } from '../../src/contract/realtime.js';
import type { BackendConfig } from '../../src/model/config.js';
import type { RuntimeEntity } from '../../src/model/runtime-manifest.js';
import {
  EVENT_ID_MAX,
  EVENT_KEY_MAX,
  largestRealtimeEvent,
  realtimeEventBound,
} from '../../src/plan/realtime-event-bound.js';
import { renderPlanMarkdown, renderPlanText } from '../../src/plan/render/index.js';
import { checkId } from '../../src/runtime/http/schema-validator.js';
import { MAX_KEY_LENGTH } from '../../src/runtime/values/partition.js';
import { TENANT_ID } from '../../src/contract/tenants.js';

const entity = (
  schema: RuntimeEntity['schema'],
  extra: Partial<RuntimeEntity> = {},
): RuntimeEntity => ({
  componentId: 'NoteApi',
  entityName: 'Note',
  route: 'notes',
  partitionKey: '/id',
  schema,
  operations: ['create', 'read', 'update', 'delete', 'list'],
  unknownFields: 'reject',
  settings: { endpoint: 'E', database: 'D', container: 'C' },
  realtime: true,
  ...extra,
});

describe('realtimeEventBound', () => {
  it('a string without maxLength, an object, an array or unknownFields keep: 1 MB, 489 messages', () => {
    const cases: [RuntimeEntity, string][] = [
      [entity({ title: { type: 'string', required: true } }), 'NoteApi.title has no maxLength'],
      [entity({ meta: { type: 'object', required: false } }), 'NoteApi.meta is an object'],
      [entity({ tags: { type: 'array', required: false } }), 'NoteApi.tags is an array'],
      [
        entity({}, { unknownFields: 'keep' }),
        "NoteApi keeps unknown fields (unknownFields: 'keep')",
      ],
    ];
    for (const [e, why] of cases) {
      const b = realtimeEventBound(e);
      expect(b.eventBytes).toBeNull();
      expect(b.unboundedBy).toContain(why);
      expect(b.messages).toBe(489);
      expect(b.messageBytes).toBeGreaterThan(MAX_EVENT_BYTES);
    }
  });

  it("an isolated entity's tenantId is the caller's registered tenant, whatever the schema declares", () => {
    const declared = { tenantId: { type: 'string', required: false } } as const;
    const byTenant = realtimeEventBound(entity(declared, { partitionKey: '/tenantId' }));
    expect(byTenant.unboundedBy).toBeUndefined();
    expect(byTenant.eventBytes).toBe(
      realtimeEventBound(entity({}, { partitionKey: '/tenantId' })).eventBytes,
    );
    // A shared entity reserves the field (no body may carry it): the schema's own spec decides, here unbounded.
    expect(realtimeEventBound(entity(declared, { tenancy: 'shared' })).unboundedBy).toContain(
      'NoteApi.tenantId has no maxLength',
    );
  });

  it('grows by 6 bytes a character of maxLength, and takes the longest enum value as JSON', () => {
    const at = (n: number) =>
      realtimeEventBound(entity({ title: { type: 'string', required: true, maxLength: n } }))
        .eventBytes!;
    expect(at(11) - at(10)).toBe(6);
    const longest = realtimeEventBound(
      entity({ s: { type: 'string', required: true, enum: ['a', 'a"\u0001'] } }),
    ).eventBytes!;
    const short = realtimeEventBound(entity({ s: { type: 'string', required: true, enum: ['a'] } }))
      .eventBytes!;
    expect(longest - short).toBe(JSON.stringify('a"\u0001').length - 3);
  });

  it('caps a bounded event at the runtime’s 1 MB (the event then goes without its item)', () => {
    const b = realtimeEventBound(
      entity({ body: { type: 'string', required: true, maxLength: 500_000 } }),
    );
    expect(b.eventBytes).toBe(MAX_EVENT_BYTES);
    expect(b.messages).toBe(489);
  });

  it('repeats the runtime’s limits exactly (id 255 units, a key 2,048, a tenant id 128)', () => {
    expect(checkId('x'.repeat(EVENT_ID_MAX))).toBeUndefined();
    expect(checkId('x'.repeat(EVENT_ID_MAX + 1))).toBeDefined();
    expect(EVENT_KEY_MAX).toBe(MAX_KEY_LENGTH);
    expect(TENANT_ID.test('a'.repeat(128))).toBe(true);
    expect(TENANT_ID.test('a'.repeat(129))).toBe(false);
  });

  it("counts both copies of the id at the schema's maxLength on id (never above 255 units)", () => {
    const fields = {
      title: { type: 'string', required: true, maxLength: 40 },
      done: { type: 'boolean', required: false },
      due: { type: 'date', required: false },
    } as const;
    const withId = (maxLength: number) =>
      realtimeEventBound(entity({ id: { type: 'string', required: false, maxLength }, ...fields }));
    const open = realtimeEventBound(entity(fields));
    // 3,636 bytes, 3,799 delivered: 2 billed messages, 3,064 of them the two 255-unit ids as escaped JSON.
    expect(open.messages).toBe(2);
    expect(withId(255)).toEqual(open);
    expect(withId(300).eventBytes).toBe(open.eventBytes);
    // 155 characters fewer in each of the two copies, 6 bytes each at most.
    expect(open.eventBytes! - withId(100).eventBytes!).toBe(2 * 155 * 6);
    // maxLength 36 (a generated id's length): 1,614 bytes, 1,777 delivered — 1 billed message.
    const uuid = withId(36);
    expect(uuid.messages).toBe(1);
    expect(uuid.messageBytes).toBeLessThanOrEqual(2048);
  });

  it('keeps a delete of an item stored before id was bounded (its 255-unit id, no item) within the bound', () => {
    const b = realtimeEventBound(
      entity({
        id: { type: 'string', required: false, maxLength: 36 },
        done: { type: 'boolean', required: false },
      }),
    );
    const worstDelete = JSON.stringify({
      entity: 'NoteApi',
      operation: 'delete',
      id: '\u0001'.repeat(EVENT_ID_MAX),
      at: new Date(8.64e15).toISOString(),
    });
    expect(b.eventBytes).toBe(new TextEncoder().encode(worstDelete).length);
  });

  it('the largest of several realtime CrudApis, an unbounded one first; non-realtime ones ignored', () => {
    const small = entity({}, { componentId: 'SmallApi' });
    const open = entity({ t: { type: 'string', required: false } }, { componentId: 'OpenApi' });
    const quiet = entity({ t: { type: 'string', required: false } }, { componentId: 'QuietApi' });
    const { realtime: _r, ...notRealtime } = quiet;
    expect(largestRealtimeEvent([small, open])?.entity).toBe('OpenApi');
    expect(largestRealtimeEvent([small, notRealtime])?.entity).toBe('SmallApi');
    expect(largestRealtimeEvent([notRealtime])).toBeUndefined();
  });
});

describe('a tenant plan’s realtime line', () => {
  const plan = (schema: Record<string, FieldDefinition>) =>
    defineBackend(
      { projects: CrudApi.define('ProjectApi', { entityName: 'Project', schema, realtime: true }) },
      {
        backendId: 'saas',
        realtime: { sku: 'Standard_S1', units: 1 },
        auth: { signInAudience: 'AzureADMultipleOrgs', allowedTenants: 'registry' },
        tenants: {
          plans: {
            pro: { requestsPerMinute: 3000, realtimeConnections: 200, requestUnitsPerDay: 1e6 },
          },
          defaultPlan: 'pro',
        },
      } as BackendConfig,
    ).plan();
  const line = (p: ReturnType<typeof plan>) =>
    p.tenantPlans!.plans[0]!.lines.find((l) => l.dimension === 'realtimeMessages')!;

  it('an unbounded schema: 489 messages an event, the basis and a note say which field and the fix', () => {
    const p = plan({ id: 'string', name: 'string' });
    // 3,000 × 43,200 writes × 200 connections × 489 messages × $1/M
    expect(line(p).monthlyQuantity).toBe(3000 * 43_200 * 200 * 489);
    expect(line(p).monthlyUsd).toBe(12_674_880);
    expect(line(p).basis).toContain('ProjectApi.name has no maxLength: an event may be 1 MB');
    expect(renderPlanText(p)).toContain(
      'give each string field of the realtime CrudApis a maxLength',
    );
  });

  it('maxLength on every string: 2 messages an event (the two 255-unit ids alone pass 2 KB), 244.5 times less', () => {
    const p = plan({ id: 'string', name: { type: 'string', maxLength: 40 }, done: 'boolean' });
    expect(line(p).monthlyQuantity).toBe(3000 * 43_200 * 200 * 2);
    expect(line(p).monthlyUsd).toBe(51_840);
    expect(line(p).basis).toMatch(
      /the largest event ProjectApi's schema admits: [\d,]+ bytes, [\d,]+ as delivered, 2 messages/,
    );
    expect(renderPlanMarkdown(p)).toContain(
      "- Realtime events: the largest event ProjectApi's schema admits",
    );
  });

  it('and id bounded at 36: 1 message an event, half the line', () => {
    const p = plan({
      id: { type: 'string', maxLength: 36 },
      name: { type: 'string', maxLength: 40 },
      done: 'boolean',
    });
    expect(line(p).monthlyQuantity).toBe(3000 * 43_200 * 200 * 1);
    expect(line(p).monthlyUsd).toBe(25_920);
    expect(line(p).basis).toMatch(/[\d,]+ as delivered, 1 message/);
  });
});
