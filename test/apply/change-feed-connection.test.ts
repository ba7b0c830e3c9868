/**
 * A CrudApi's onChange runs from the Cosmos DB change feed in Azure: its trigger connects to the account by
 * identity (`<PREFIX>_CHANGE_FEED__accountEndpoint`, `__credential`, `__clientId` of the CrudApi's own identity;
 * no key, no connection string), and its lease container is planned like any other container of the database,
 * with a Contributor role for that identity even when the CrudApi only reads.
 */
import { describe, expect, it } from 'vitest';
import { defineBackend } from '../../src/backend/define-backend.js';
import { CrudApi } from '../../src/components/crud/index.js';
import { functionApps } from '../support/app-packages.js';
import { expectHonest, synth, synthText } from '../support/synth.js';

const ON_BOOKING = `${import.meta.dirname}/../packaging/fixtures/on-booking.ts`;
const CONTRIBUTOR = '00000000-0000-0000-0000-000000000002';
const READER = '00000000-0000-0000-0000-000000000001';

describe('change feed trigger: identity-based connection and a planned lease container', () => {
  const backend = defineBackend(
    {
      bookings: CrudApi.define('BookingApi', {
        entityName: 'Booking',
        schema: { id: 'string', title: 'string' },
        onChange: ON_BOOKING,
      }),
      // Read-only and watching: its lease container still takes writes.
      audit: CrudApi.define('AuditApi', {
        entityName: 'Audit',
        schema: { id: 'string' },
        operations: ['read', 'list'],
        onChange: ON_BOOKING,
      }),
      notes: CrudApi.define('NoteApi', { entityName: 'Note', schema: { id: 'string' } }),
    },
    { environment: 'prod' },
  );
  const plan = backend.plan();
  const { text, json } = synthText(backend);
  const settings = functionApps(json.resource)[0]!['app_settings'] as Record<string, string>;
  const identities = Object.keys(json.resource['azurerm_user_assigned_identity'] ?? {});
  const identityOf = (id: string) => identities.find((n) => n.endsWith(`_${id}`))!;

  it('names the account endpoint, managedidentity and the CrudApi identity; no key or connection string anywhere', () => {
    expect(settings['BOOKING_API_CHANGE_FEED__accountEndpoint']).toMatch(
      /^https:\/\/[a-z0-9-]+\.documents\.azure\.com:443\/$/,
    );
    expect(settings['BOOKING_API_CHANGE_FEED__accountEndpoint']).toBe(
      settings['BOOKING_API_COSMOS_ENDPOINT'],
    );
    expect(settings['BOOKING_API_CHANGE_FEED__credential']).toBe('managedidentity');
    expect(settings['BOOKING_API_CHANGE_FEED__clientId']).toBe(
      `\${azurerm_user_assigned_identity.${identityOf('BookingApi')}.client_id}`,
    );
    expect(settings['AUDIT_API_CHANGE_FEED__clientId']).toBe(
      `\${azurerm_user_assigned_identity.${identityOf('AuditApi')}.client_id}`,
    );
    expect(Object.keys(settings).filter((k) => k.startsWith('NOTE_API_CHANGE_FEED'))).toEqual([]);
    expect(text).not.toMatch(
      /AccountKey|primary_key|primary_sql_connection_string|connection_strings|primary_master_key/i,
    );
    // The plan shows the endpoint and the credential; apply adds the client id.
    const planned = plan.resources.find((r) => r.type === 'functions')!.config[
      'appSettings'
    ] as Record<string, string>;
    expect(planned['BOOKING_API_CHANGE_FEED__credential']).toBe('managedidentity');
    expect(planned['BOOKING_API_CHANGE_FEED__accountEndpoint']).toBeDefined();
  });

  it('plans each lease container (partition key /id) beside the watched one, and the plan stays honest', () => {
    const containers = Object.values(json.resource['azurerm_cosmosdb_sql_container'] ?? {});
    const lease = containers.find((c) => c['name'] === 'booking-leases')!;
    expect(lease).toMatchObject({ partition_key_paths: ['/id'] });
    expect(lease['database_name']).toBe(
      containers.find((c) => c['name'] === 'booking')!['database_name'],
    );
    expect(containers.some((c) => c['name'] === 'audit-leases')).toBe(true);
    expect(containers.some((c) => c['name'] === 'note-leases')).toBe(false);
    const deploys = plan.resources.flatMap((r) =>
      r.deploys.map((d) => `${d.terraformType}.${d.name}`),
    );
    expect(
      deploys.filter(
        (d) => d.startsWith('azurerm_cosmosdb_sql_container.') && d.includes('leases'),
      ),
    ).toHaveLength(2);
    expectHonest(plan, json);
  });

  it("grants the CrudApi's identity Contributor on its lease container, read-only CrudApis included", () => {
    const assignments = Object.values(json.resource['azurerm_cosmosdb_sql_role_assignment'] ?? {});
    const on = (id: string, container: string) =>
      assignments.filter(
        (a) =>
          String(a['principal_id']).includes(`${identityOf(id)}.`) &&
          String(a['scope']).endsWith(`/colls/${container}`),
      );
    expect(on('BookingApi', 'booking-leases')).toHaveLength(1);
    expect(String(on('BookingApi', 'booking-leases')[0]!['role_definition_id'])).toContain(
      CONTRIBUTOR,
    );
    expect(String(on('AuditApi', 'audit-leases')[0]!['role_definition_id'])).toContain(CONTRIBUTOR);
    // Its own container keeps the reader role: the change feed is read with it.
    expect(String(on('AuditApi', 'audit')[0]!['role_definition_id'])).toContain(READER);
    // Nobody else reaches the lease containers.
    expect(assignments.filter((a) => String(a['scope']).endsWith('-leases'))).toHaveLength(2);
  });

  it('a backend without onChange plans no lease container and no change feed setting', () => {
    const plain = defineBackend({
      notes: CrudApi.define('NoteApi', { entityName: 'Note', schema: { id: 'string' } }),
    });
    const out = synth(plain);
    expect(
      Object.values(out.resource['azurerm_cosmosdb_sql_container'] ?? {}).map((c) => c['name']),
    ).toEqual(['note']);
    expect(
      Object.keys(functionApps(out.resource)[0]!['app_settings'] as object).filter((k) =>
        k.includes('CHANGE_FEED'),
      ),
    ).toEqual([]);
    expectHonest(plain.plan(), out);
  });
});
