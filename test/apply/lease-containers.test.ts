/**
 * Lease containers of CrudApi `onChange`: on an existing account nothing creates them (the trigger connects by
 * identity and cannot), so the plan says which to create and how, or the stack creates them when told to; and a
 * lease container gets Azure's minimum throughput, never the backend's autoscale maximum.
 */
import { describe, expect, it } from 'vitest';
import { defineBackend } from '../../src/backend/define-backend.js';
import type { BackendConfig } from '../../src/model/config.js';
import { CrudApi } from '../../src/components/crud/index.js';
import { PlanError } from '../../src/model/errors.js';
import { expectHonest, synthText } from '../support/synth.js';

const ON_BOOKING = `${import.meta.dirname}/../packaging/fixtures/on-booking.ts`;
type Res = Record<string, unknown>;

const bookings = (extra: Record<string, unknown> = {}) =>
  CrudApi.define('BookingApi', {
    entityName: 'Booking',
    schema: { id: 'string', title: 'string' },
    onChange: ON_BOOKING,
    ...extra,
  });
const notes = () => CrudApi.define('NoteApi', { entityName: 'Note', schema: { id: 'string' } });
const existing = (more: Record<string, unknown> = {}): BackendConfig => ({
  environment: 'dr',
  cosmosConfig: {
    useExisting: true,
    accountName: 'cosmos-app-primary',
    resourceGroupName: 'rg-app-primary',
    ...more,
  },
});
const containersOf = (plan: ReturnType<ReturnType<typeof defineBackend>['plan']>) =>
  (
    plan.resources.find((r) => r.type === 'cosmos')!.config['databases'] as {
      name: string;
      containers: {
        name: string;
        throughput?: number;
        autoscaleMaxThroughput?: number;
        lease?: boolean;
      }[];
    }[]
  ).flatMap((d) => d.containers.map((c) => ({ db: d.name, ...c })));

describe('lease containers on an existing Cosmos DB account', () => {
  it('is a plan error naming database/container and the az command that creates it', () => {
    const plan = defineBackend({ bookings: bookings(), notes: notes() }, existing()).plan();
    const errors = plan.issues.filter((i) => i.code === 'COSMOS_LEASE_CONTAINER_MISSING');
    expect(errors).toHaveLength(1);
    const [error] = errors;
    expect(error).toMatchObject({
      severity: 'error',
      path: ['config', 'cosmosConfig', 'leaseContainers'],
    });
    expect(error!.message).toContain('booking-db/booking-leases');
    expect(error!.message).not.toContain('note');
    expect(error!.resolution).toContain(
      'az cosmosdb sql container create --account-name cosmos-app-primary --resource-group rg-app-primary ' +
        '--database-name booking-db --name booking-leases --partition-key-path /id',
    );
    // Right for a serverless account (which refuses any throughput) as printed, and for a provisioned one.
    expect(error!.resolution).not.toMatch(/--partition-key-path \/id --throughput/);
    expect(error!.resolution).toContain('serverless');
    expect(error!.resolution).toContain('add --throughput 400');
    expect(() =>
      defineBackend({ bookings: bookings() }, existing()).apply(undefined as never),
    ).toThrow(PlanError);
  });

  it("names a CrudApi once when the organizations' webhooks read its feed", () => {
    const plan = defineBackend(
      { notes: notes() },
      {
        ...existing(),
        tenants: {
          by: 'membership',
          plans: { team: { features: ['webhooks'] } },
          defaultPlan: 'team',
        },
      },
    ).plan();
    const errors = plan.issues.filter((i) => i.code === 'COSMOS_LEASE_CONTAINER_MISSING');
    expect(errors.map((e) => e.components)).toEqual([['NoteApi']]);
  });

  it('no onChange, no error; a created account creates its lease containers itself', () => {
    expect(
      defineBackend({ notes: notes() }, existing())
        .plan()
        .issues.map((i) => i.code),
    ).not.toContain('COSMOS_LEASE_CONTAINER_MISSING');
    expect(
      defineBackend({ bookings: bookings() }, { environment: 'dr' })
        .plan()
        .issues.map((i) => i.code),
    ).not.toContain('COSMOS_LEASE_CONTAINER_MISSING');
  });

  it("leaseContainers: 'existing' trusts they exist: no error, no container in the stack", () => {
    const backend = defineBackend(
      { bookings: bookings() },
      existing({ leaseContainers: 'existing' }),
    );
    const plan = backend.plan();
    expect(plan.issues.filter((i) => i.severity === 'error')).toEqual([]);
    const { json } = synthText(backend);
    expect(json.resource['azurerm_cosmosdb_sql_container']).toBeUndefined();
    expectHonest(plan, json);
  });

  it("leaseContainers: 'create' creates only the lease container, in the existing account, before its role", () => {
    const backend = defineBackend(
      { bookings: bookings(), notes: notes() },
      existing({ leaseContainers: 'create' }),
    );
    const plan = backend.plan();
    expect(plan.issues.filter((i) => i.severity === 'error')).toEqual([]);
    const { json } = synthText(backend);
    expectHonest(plan, json);
    const containers = Object.entries(json.resource['azurerm_cosmosdb_sql_container'] ?? {});
    expect(containers).toHaveLength(1);
    const [name, block] = containers[0]! as [string, Res];
    expect(block).toMatchObject({
      name: 'booking-leases',
      database_name: 'booking-db',
      resource_group_name: 'rg-app-primary',
      partition_key_paths: ['/id'],
    });
    expect(String(block['account_name'])).toMatch(/^\$\{data\.azurerm_cosmosdb_account\./);
    expect(json.resource['azurerm_cosmosdb_sql_database']).toBeUndefined();
    // Cosmos DB checks the scope of a data role when it is created: the lease role waits for its container.
    const roles = Object.values(
      json.resource['azurerm_cosmosdb_sql_role_assignment'] ?? {},
    ) as Res[];
    const leaseRole = roles.find((r) => String(r['scope']).endsWith('/colls/booking-leases'))!;
    expect(leaseRole['depends_on']).toContain(`azurerm_cosmosdb_sql_container.${name}`);
  });
});

describe('lease containers get minimal throughput', () => {
  const autoscale: BackendConfig = {
    environment: 'prod',
    autoScale: { enabled: true, minThroughput: 1000, maxThroughput: 10000 },
  };

  it("under the backend's autoScale: the lowest autoscale maximum (1,000 RU/s), not the backend's", () => {
    const plan = defineBackend({ bookings: bookings() }, autoscale).plan();
    const byName = Object.fromEntries(containersOf(plan).map((c) => [c.name, c]));
    expect(byName['booking']).toMatchObject({ autoscaleMaxThroughput: 10000 });
    expect(byName['booking-leases']).toMatchObject({ autoscaleMaxThroughput: 1000, lease: true });
    expect(byName['booking-leases']!.throughput).toBeUndefined();
    const { json } = synthText(defineBackend({ bookings: bookings() }, autoscale));
    const lease = Object.values(json.resource['azurerm_cosmosdb_sql_container']!).find(
      (c) => (c as Res)['name'] === 'booking-leases',
    ) as Res;
    expect(lease['autoscale_settings']).toEqual({ max_throughput: 1000 });
  });

  it('on a manual provisioned account: 400 RU/s, whatever the entity container has', () => {
    const plan = defineBackend(
      { bookings: bookings({ throughput: 4000 }) },
      { environment: 'prod' },
    ).plan();
    const byName = Object.fromEntries(containersOf(plan).map((c) => [c.name, c]));
    expect(byName['booking']).toMatchObject({ throughput: 4000 });
    expect(byName['booking-leases']).toMatchObject({ throughput: 400 });
    expect(byName['booking-leases']!.autoscaleMaxThroughput).toBeUndefined();
  });

  it('serverless: no throughput at all', () => {
    const plan = defineBackend({ bookings: bookings() }, { environment: 'prod' }).plan();
    for (const c of containersOf(plan)) {
      expect(c.throughput).toBeUndefined();
      expect(c.autoscaleMaxThroughput).toBeUndefined();
    }
  });

  it('is priced at its minimum: 1,000 RU/s autoscale bills from 100 RU/s at the autoscale rate', () => {
    const withLease = defineBackend({ bookings: bookings() }, autoscale).plan();
    const without = defineBackend(
      {
        bookings: CrudApi.define('BookingApi', {
          entityName: 'Booking',
          schema: { id: 'string', title: 'string' },
        }),
      },
      autoscale,
    ).plan();
    const usd = (p: typeof withLease) =>
      p.resources.find((r) => r.key === 'cosmos:shared')!.estimatedMonthlyUsd;
    // 100 RU/s × $0.012 per 100 RU/s-hour × 730 h = $8.76, plus 1 GB of storage at $0.25.
    expect(usd(withLease) - usd(without)).toBeCloseTo(8.76 + 0.25, 2);
  });
});
