/**
 * Entity webhooks from the change feed, on the plan's side (DESIGN §2, "Integrations"): a membership backend with a
 * plan that includes `webhooks` gives each tenant-scoped CrudApi's container a change feed connection and its lease
 * container, says why in the plan (WEBHOOKS_FROM_CHANGE_FEED), and apply completes the connection with the CrudApi's
 * own identity, granted on the lease container — all as the real providers synthesize it.
 */
import { describe, expect, it } from 'vitest';
import { defineBackend } from '../../src/backend/define-backend.js';
import { expectHonest, synth } from '../support/synth.js';
import {
  notes,
  settingsOf,
  webhooksBackend as backendOf,
  webhooksOptions,
} from './support/webhook-backends.js';

type Block = Record<string, unknown>;
const AUDIT_LEASES = 'atakora/audit-leases';
const containersOf = (plan: ReturnType<ReturnType<typeof backendOf>['plan']>) =>
  plan.resources
    .filter((r) => r.type === 'cosmos')
    .flatMap((r) =>
      (r.config['databases'] as { name: string; containers: { name: string }[] }[]).flatMap((d) =>
        d.containers.map((c) => `${d.name}/${c.name}`),
      ),
    );

describe('a backend whose plans include webhooks reads its tenant-scoped containers’ change feeds', () => {
  it('plans the connection and the lease container of each tenant-scoped CrudApi, says why, and synthesizes honestly', () => {
    const backend = backendOf(['webhooks']);
    const plan = backend.plan();
    expect(plan.issues.filter((i) => i.severity === 'error')).toEqual([]);
    const why = plan.issues.filter((i) => i.code === 'WEBHOOKS_FROM_CHANGE_FEED');
    expect(why).toHaveLength(1);
    expect(why[0]?.components).toEqual(['NoteApi']);
    expect(why[0]?.message).toContain('atakora-webhooks-');
    const containers = containersOf(plan);
    // The entity's lease container, and the audit feed's (test/plan/webhook-audit-feed-plan.test.ts).
    const leases = containers.filter((c) => c.endsWith('-leases') && c !== AUDIT_LEASES);
    expect(leases).toHaveLength(1);
    expect(leases[0]).toMatch(/note/i);
    const settings = settingsOf(plan);
    expect(settings['NOTE_API_CHANGE_FEED__accountEndpoint']).toBeDefined();
    expect(settings['NOTE_API_CHANGE_FEED__credential']).toBe('managedidentity');
    // A shared entity's items belong to no organization: no feed for it.
    expect(Object.keys(settings).filter((k) => k.startsWith('CATALOG_API_CHANGE_FEED'))).toEqual(
      [],
    );
    const json = synth(backend);
    expectHonest(plan, json);
    const apps = json.resource['azurerm_function_app_flex_consumption'] as Record<string, Block>;
    const app = apps['backend_functions_shared']!;
    const appSettings = app['app_settings'] as Record<string, string>;
    // The connection is completed with the CrudApi's own identity, which holds a data role on the lease container.
    expect(appSettings['NOTE_API_CHANGE_FEED__clientId']).toMatch(
      /azurerm_user_assigned_identity\..*client_id/,
    );
    const roles = Object.values(
      json.resource['azurerm_cosmosdb_sql_role_assignment'] as Record<string, Block>,
    );
    const identity = String(appSettings['NOTE_API_CHANGE_FEED__clientId']).replace(
      '.client_id}',
      '',
    );
    expect(
      roles.some(
        (r) =>
          String(r['scope']).includes('-leases') && String(r['principal_id']).startsWith(identity),
      ),
    ).toBe(true);
  });

  it('plans nothing of it when no plan includes webhooks', () => {
    const plan = backendOf(['audit']).plan();
    expect(plan.issues.map((i) => i.code)).not.toContain('WEBHOOKS_FROM_CHANGE_FEED');
    expect(containersOf(plan).filter((c) => c.endsWith('-leases'))).toEqual([]);
    expect(Object.keys(settingsOf(plan)).filter((k) => k.includes('CHANGE_FEED'))).toEqual([]);
  });

  it("plans no feed when no plan lists features: webhooks are offered, only the runtime's own writes are delivered", () => {
    // No feed poller (its reads billed in RU) on every membership backend that lists no features.
    const plan = backendOf(undefined).plan();
    expect(plan.issues.map((i) => i.code)).not.toContain('WEBHOOKS_FROM_CHANGE_FEED');
    expect(containersOf(plan).filter((c) => c.endsWith('-leases'))).toEqual([]);
    expect(Object.keys(settingsOf(plan)).filter((k) => k.includes('CHANGE_FEED'))).toEqual([]);
  });

  it("shares an onChange CrudApi's connection and lease container rather than planning them twice", () => {
    const withChange = defineBackend(
      { notes: notes({ onChange: './test/packaging/fixtures/tick.ts' }) },
      webhooksOptions(['webhooks']),
    );
    const plan = withChange.plan();
    expect(plan.issues.filter((i) => i.severity === 'error')).toEqual([]);
    expect(
      containersOf(plan).filter((c) => c.endsWith('-leases') && c !== AUDIT_LEASES),
    ).toHaveLength(1);
    const without = defineBackend(
      { notes: notes({ onChange: './test/packaging/fixtures/tick.ts' }) },
      webhooksOptions(['audit']),
    ).plan();
    const count = (p: typeof plan) =>
      Number(p.resources.find((r) => r.key === 'functions:shared')?.config['functionCount']);
    // The entity's feed and the audit container's.
    expect(count(plan)).toBe(count(without) + 2);
  });
});
