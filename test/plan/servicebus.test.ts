import { describe, expect, it } from 'vitest';
import { defineBackend } from '../../src/backend/define-backend.js';
import { defineComponent } from '../../src/components/custom/define.js';
import { CrudApi } from '../../src/components/crud/index.js';
import { diffPlans } from '../../src/plan/diff/diff.js';
import {
  STATEFUL_RESOURCE_TYPES,
  STATEFUL_TERRAFORM_TYPES,
} from '../../src/plan/diff/diff-types.js';
import { factsOf, NAME_RULES, RESOURCE_FACTS } from '../../src/resources/facts.js';
import {
  BUILTIN_RESOURCE_TYPES,
  BUILTIN_BACKEND_RESOURCE_TYPES,
} from '../../src/resources/types.js';
import type { ResourcePlan } from '../../src/model/plan.js';

type Bus = {
  sku?: 'Basic' | 'Standard' | 'Premium';
  queues?: { name: string; maxSize?: number }[];
  topics?: { name: string; maxSize?: number }[];
  access?: string;
};

/** A component that asks for Service Bus entities, optionally with a Function App of its own kind. */
const events = (id: string, bus: Bus, withApp = false) =>
  defineComponent({
    type: 'Events',
    id,
    config: bus,
    requirements: (c) => [
      ...(withApp
        ? [
            {
              resourceType: 'functions',
              requirementKey: `${id}-functions`,
              config: { runtime: 'node', functionCount: 1 },
            },
          ]
        : []),
      { resourceType: 'servicebus', requirementKey: `${id}-servicebus`, config: c },
    ],
    outputs: (_c, ctx) => ({
      namespace: String(ctx.resource('servicebus')?.config['fullyQualifiedNamespace'] ?? ''),
    }),
  });
const bus = (plan: ResourcePlan) => plan.resources.find((r) => r.type === 'servicebus')!;
const codes = (plan: ResourcePlan, severity: 'error' | 'warning') =>
  plan.issues.filter((i) => i.severity === severity).map((i) => i.code);

describe('servicebus: a built-in type components ask for', () => {
  it("merges every component's queues and topics into one namespace, the highest tier, priced, with a global name", () => {
    const plan = defineBackend(
      {
        orders: events('Orders', {
          sku: 'Standard',
          queues: [{ name: 'orders', maxSize: 2048 }],
          topics: [{ name: 'events' }],
        }),
        notify: events('Notify', { queues: [{ name: 'orders' }, { name: 'mail' }] }),
      },
      { naming: { uniqueSeed: 'sub/rg' } },
    ).plan();
    expect(codes(plan, 'error')).toEqual([]);
    const r = bus(plan);
    expect(r.key).toBe('servicebus:shared');
    expect(r.name).toMatch(/^sbns-backend-dev-[a-z0-9]{6}$/);
    expect(r.config).toMatchObject({
      sku: 'Standard',
      capacity: 0,
      queues: [
        { name: 'mail', maxSizeInMegabytes: 1024 },
        { name: 'orders', maxSizeInMegabytes: 2048 },
      ],
      topics: [{ name: 'events', maxSizeInMegabytes: 1024 }],
      access: { Notify: 'sendReceive', Orders: 'sendReceive' },
      fullyQualifiedNamespace: `${r.name}.servicebus.windows.net`,
    });
    expect(r.deploys.map((d) => d.terraformType).sort()).toEqual([
      'azurerm_servicebus_namespace',
      'azurerm_servicebus_queue',
      'azurerm_servicebus_queue',
      'azurerm_servicebus_topic',
    ]);
    expect(r.estimatedMonthlyUsd).toBe(9.86);
    expect(plan.components.find((c) => c.key === 'orders')!.outputs['namespace']).toBe(
      `${r.name}.servicebus.windows.net`,
    );
  });

  it('grants data roles to the Function Apps of consumers that have one, by the access they ask for', () => {
    const plan = defineBackend({
      sender: events('Sender', { queues: [{ name: 'q' }], access: 'send' }, true),
      plain: events('Plain', { queues: [{ name: 'q' }] }),
    }).plan();
    expect(
      bus(plan)
        .deploys.filter((d) => d.terraformType === 'azurerm_role_assignment')
        .map((d) => d.name),
    ).toEqual(['backend_servicebus_shared_ra_functions_shared_send']);
  });

  it('refuses what Azure would refuse: topics on Basic, bad names and sizes, a queue and a topic of one name', () => {
    const plan = (b: Bus) => defineBackend({ e: events('E', b) }).plan();
    expect(codes(plan({ sku: 'Basic', topics: [{ name: 't' }] }), 'error')).toEqual([
      'SERVICEBUS_INVALID',
    ]);
    expect(codes(plan({ queues: [{ name: '-bad' }] }), 'error')).toEqual(['SERVICEBUS_INVALID']);
    expect(codes(plan({ queues: [{ name: 'q', maxSize: 10240 }] }), 'error')).toEqual([
      'SERVICEBUS_INVALID',
    ]);
    expect(
      codes(plan({ sku: 'Premium', queues: [{ name: 'q', maxSize: 10240 }] }), 'error'),
    ).toEqual([]);
    expect(codes(plan({ queues: [{ name: 'x' }], topics: [{ name: 'x' }] }), 'error')).toEqual([
      'SERVICEBUS_INVALID',
    ]);
    expect(codes(plan({ access: 'write' }), 'error')).toEqual(['SERVICEBUS_INVALID']);
  });

  it('isolated networking: Premium (raised with a warning when asked lower), a private endpoint in privatelink.servicebus.windows.net', () => {
    const plan = defineBackend(
      { e: events('E', { queues: [{ name: 'q' }] }) },
      { networking: 'isolated' },
    ).plan();
    expect(codes(plan, 'warning')).toContain('SERVICEBUS_PREMIUM_FOR_ISOLATION');
    expect(bus(plan).config).toMatchObject({ sku: 'Premium', capacity: 1 });
    expect(bus(plan).estimatedMonthlyUsd).toBe(677.44);
    const network = plan.resources.find((r) => r.type === 'network')!;
    expect(network.config['dnsZones']).toContain('privatelink.servicebus.windows.net');
    expect(
      (network.config['privateEndpoints'] as { target: string; subresource: string }[])
        .filter((p) => p.target === 'servicebus:shared')
        .map((p) => p.subresource),
    ).toEqual(['namespace']);
  });

  it('its deletion or replacement is data loss to diffPlans', () => {
    const before = defineBackend({
      e: events('E', { queues: [{ name: 'q' }] }),
      api: CrudApi.define('Api', { entityName: 'Item', schema: { id: 'string' } }),
    }).plan();
    const removed = diffPlans(
      before,
      defineBackend({
        api: CrudApi.define('Api', { entityName: 'Item', schema: { id: 'string' } }),
      }).plan(),
    );
    expect(removed.hasDataLoss).toBe(true);
    expect(
      removed.issues.filter((i) => i.path?.[1] === 'servicebus:shared').map((i) => i.code),
    ).toEqual(['STATEFUL_REMOVAL']);
    const dropQueue = diffPlans(
      before,
      defineBackend({
        e: events('E', { queues: [{ name: 'other' }] }),
        api: CrudApi.define('Api', { entityName: 'Item', schema: { id: 'string' } }),
      }).plan(),
    );
    expect(dropQueue.issues.map((i) => i.code)).toContain('STATEFUL_REMOVAL');
    expect(dropQueue.issues.find((i) => i.code === 'STATEFUL_REMOVAL')!.message).toContain(
      'azurerm_servicebus_queue.backend_servicebus_shared_queue_q',
    );
    // Standard → Premium cannot happen in place (azurerm CustomizeDiff forces a new namespace).
    const premium = diffPlans(
      before,
      defineBackend({
        e: events('E', { sku: 'Premium', queues: [{ name: 'q' }] }),
        api: CrudApi.define('Api', { entityName: 'Item', schema: { id: 'string' } }),
      }).plan(),
    );
    expect(premium.resources.replacements.map((r) => r.key)).toEqual(['servicebus:shared']);
    expect(premium.issues.map((i) => i.code)).toContain('STATEFUL_REPLACEMENT');
  });
});

describe('resource facts: one registry every reader uses', () => {
  it('has the facts of every registered type, and derives the data-holding lists from them', () => {
    const types = [
      ...Object.keys(BUILTIN_RESOURCE_TYPES),
      ...Object.keys(BUILTIN_BACKEND_RESOURCE_TYPES),
    ].sort();
    expect(Object.keys(RESOURCE_FACTS).sort()).toEqual(types);
    expect(STATEFUL_RESOURCE_TYPES).toEqual(['cosmos', 'keyvault', 'servicebus', 'storage']);
    for (const t of [
      'azurerm_servicebus_namespace',
      'azurerm_servicebus_queue',
      'azurerm_servicebus_topic',
      'azurerm_cosmosdb_account',
      'azurerm_key_vault',
      'azurerm_storage_account',
    ]) {
      expect(STATEFUL_TERRAFORM_TYPES).toContain(t);
    }
    expect(STATEFUL_TERRAFORM_TYPES).not.toContain('azurerm_linux_function_app');
    expect(NAME_RULES['servicebus']).toBe(RESOURCE_FACTS['servicebus']!.name);
  });

  it('gives an unknown (custom) type the conservative facts: global name, not data-holding', () => {
    expect(factsOf('my-queue')).toMatchObject({ dataHolding: false, name: { global: true } });
    expect(factsOf('toString').dataHolding).toBe(false);
  });
});
