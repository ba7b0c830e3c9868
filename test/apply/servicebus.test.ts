import { describe, expect, it } from 'vitest';
import { defineBackend } from '../../src/backend/define-backend.js';
import { defineComponent } from '../../src/components/custom/define.js';
import { expectHonest, synth } from '../support/synth.js';
import { insecureAttributes } from '../support/security.js';

type Block = Record<string, unknown>;
const of = (json: ReturnType<typeof synth>, type: string) =>
  Object.values(json.resource[type] ?? {}) as Block[];

/** A component with a Function App that sends to a queue and publishes to a topic. */
const orders = (sku?: 'Standard' | 'Premium') =>
  defineComponent({
    type: 'Orders',
    id: 'Orders',
    config: {},
    requirements: () => [
      {
        resourceType: 'functions',
        requirementKey: 'Orders-functions',
        config: { runtime: 'node', functionCount: 1 },
      },
      {
        resourceType: 'servicebus',
        requirementKey: 'Orders-servicebus',
        config: {
          ...(sku ? { sku } : {}),
          queues: [{ name: 'orders' }],
          topics: [{ name: 'events', maxSize: 2048 }],
          access: 'send',
        },
      },
    ],
  });

describe('servicebus: synthesized identity-only, as planned', () => {
  it("creates the namespace with local auth off and TLS 1.2, its queues and topics, and the app's Data Sender role", () => {
    const backend = defineBackend({ orders: orders() });
    const plan = backend.plan();
    const json = synth(backend);
    expectHonest(plan, json);
    const [ns, ...more] = of(json, 'azurerm_servicebus_namespace');
    expect(more).toEqual([]);
    expect(ns).toMatchObject({
      sku: 'Standard',
      capacity: 0,
      premium_messaging_partitions: 0,
      local_auth_enabled: false,
      minimum_tls_version: '1.2',
      public_network_access_enabled: true,
    });
    expect(of(json, 'azurerm_servicebus_queue')).toEqual([
      expect.objectContaining({
        name: 'orders',
        max_size_in_megabytes: 1024,
        namespace_id: '${azurerm_servicebus_namespace.backend_servicebus_shared.id}',
      }),
    ]);
    expect(of(json, 'azurerm_servicebus_topic')).toEqual([
      expect.objectContaining({ name: 'events', max_size_in_megabytes: 2048 }),
    ]);
    // No key, no SAS rule, no connection string anywhere in the stack.
    expect(Object.keys(json.resource).filter((t) => t.includes('authorization_rule'))).toEqual([]);
    expect(JSON.stringify(json)).not.toMatch(/connection_string|SharedAccessKey/);
    const roles = of(json, 'azurerm_role_assignment').filter((r) =>
      String(r['scope']).includes('azurerm_servicebus_namespace'),
    );
    expect(roles.map((r) => r['role_definition_name'])).toEqual(['Azure Service Bus Data Sender']);
    expect(insecureAttributes(json, { isolated: false })).toEqual([]);
  });

  it('isolated: Premium with one messaging unit and partition, public access off, a private endpoint; secure by the walker', () => {
    const backend = defineBackend({ orders: orders('Premium') }, { networking: 'isolated' });
    const json = synth(backend);
    expectHonest(backend.plan(), json);
    expect(of(json, 'azurerm_servicebus_namespace')[0]).toMatchObject({
      sku: 'Premium',
      capacity: 1,
      premium_messaging_partitions: 1,
      public_network_access_enabled: false,
    });
    expect(of(json, 'azurerm_private_dns_zone').map((z) => z['name'])).toContain(
      'privatelink.servicebus.windows.net',
    );
    expect(insecureAttributes(json, { isolated: true })).toEqual([]);
  });

  it('its namespace, queues and topics carry prevent_destroy: the data-loss guard refuses their deletion', () => {
    const json = synth(defineBackend({ orders: orders() }));
    for (const type of [
      'azurerm_servicebus_namespace',
      'azurerm_servicebus_queue',
      'azurerm_servicebus_topic',
    ]) {
      const blocks = of(json, type);
      expect(blocks.length).toBeGreaterThan(0);
      for (const b of blocks) expect(b['lifecycle'], type).toEqual({ prevent_destroy: true });
    }
  });
});
