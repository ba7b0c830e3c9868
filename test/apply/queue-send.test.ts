/**
 * Queues a FunctionsApp only sends to (`queues`) are declared like a trigger's: created in the account its queue
 * triggers use, listed in the plan, reached through the component's identity-based connection with Storage Queue
 * Data Contributor — and the app gets `ATAKORA_QUEUES` naming each queue's connection, with no key anywhere.
 */
import { describe, expect, it } from 'vitest';
import { defineBackend } from '../../src/backend/define-backend.js';
import { FunctionsApp } from '../../src/components/functions/index.js';
import { renderPlanText } from '../../src/plan/render/text.js';
import { functionApps } from '../support/app-packages.js';
import { expectHonest, synth, thrown } from '../support/synth.js';

const TICK = `${import.meta.dirname}/../packaging/fixtures/tick.ts`;
const sender = FunctionsApp.define('Signup', {
  runtime: 'node',
  queues: ['emails', 'audit'],
  functions: { signup: { trigger: 'http', handler: TICK } },
});
const worker = FunctionsApp.define('Mailer', {
  runtime: 'node',
  queues: ['audit'],
  functions: { send: { trigger: 'queue', queueName: 'emails', handler: TICK } },
});

describe('queues a FunctionsApp sends to', () => {
  const backend = defineBackend({ sender, worker }, { environment: 'prod' });
  const plan = backend.plan();
  const json = synth(backend);
  const settings = functionApps(json.resource)[0]!['app_settings'] as Record<string, string>;
  const identities = json.resource['azurerm_user_assigned_identity'] ?? {};
  const identityOf = (id: string) => Object.keys(identities).find((n) => n.endsWith(`_${id}`))!;

  it('the plan lists the queues once, in the storage account the triggers use, and the app maps each to its connection', () => {
    const storage = plan.resources.filter((r) => r.type === 'storage');
    expect(storage).toHaveLength(1);
    expect(storage[0]!.config['queues']).toEqual(['audit', 'emails']);
    expect(
      storage[0]!.deploys.filter((d) => d.terraformType === 'azurerm_storage_queue'),
    ).toHaveLength(2);
    const app = plan.resources.find((r) => r.type === 'functions')!;
    // First declaring component by id wins a shared name: Mailer < Signup.
    expect(app.config['queues']).toEqual({ audit: 'MAILER_STORAGE', emails: 'MAILER_STORAGE' });
    expect(renderPlanText(plan)).toMatch(/storage queues in \S+: audit, emails/);
    expect(plan.issues.filter((i) => i.severity === 'error')).toEqual([]);
  });

  it('synthesizes the queues, ATAKORA_QUEUES, identity connections and the queue role for each declaring component', () => {
    const queues = Object.values(json.resource['azurerm_storage_queue'] ?? {})
      .map((q) => q['name'])
      .sort();
    expect(queues).toEqual(['audit', 'emails']);
    expect(JSON.parse(settings['ATAKORA_QUEUES']!)).toEqual({
      audit: 'MAILER_STORAGE',
      emails: 'MAILER_STORAGE',
    });
    for (const [prefix, id] of [
      ['SIGNUP', 'Signup'],
      ['MAILER', 'Mailer'],
    ] as const) {
      expect(settings[`${prefix}_STORAGE__queueServiceUri`]).toMatch(
        /queue_endpoint|\.queue\.core\.windows\.net\/$/,
      );
      expect(settings[`${prefix}_STORAGE__credential`]).toBe('managedidentity');
      expect(settings[`${prefix}_STORAGE__clientId`]).toBe(
        `\${azurerm_user_assigned_identity.${identityOf(id)}.client_id}`,
      );
      const roles = Object.values(json.resource['azurerm_role_assignment'] ?? {}).filter(
        (r) =>
          r['principal_id'] ===
            `\${azurerm_user_assigned_identity.${identityOf(id)}.principal_id}` &&
          r['role_definition_name'] === 'Storage Queue Data Contributor',
      );
      expect(roles).toHaveLength(1);
    }
    // No key, no connection string in any setting.
    for (const [k, v] of Object.entries(settings)) {
      expect(`${k}=${String(v)}`).not.toMatch(
        /AccountKey=|SharedAccessSignature=|primary_access_key|primary_connection_string|UseDevelopmentStorage/i,
      );
    }
    expectHonest(plan, json);
  });

  it('refuses a queue name that is not a valid storage queue name, at define time', () => {
    const e = thrown(() =>
      FunctionsApp.define('Bad', {
        runtime: 'node',
        queues: ['Emails_Queue'],
        functions: { f: { trigger: 'http', handler: TICK } },
      }),
    );
    expect(e.code).toBe('FUNCTIONS_QUEUE_INVALID');
    expect(e.path).toEqual(['components', 'Bad', 'config', 'queues', 0]);
    expect(
      thrown(() =>
        FunctionsApp.define('Bad', {
          runtime: 'node',
          queues: 'emails' as never,
          functions: { f: { trigger: 'http', handler: TICK } },
        }),
      ).code,
    ).toBe('FUNCTIONS_QUEUE_INVALID');
  });
});
