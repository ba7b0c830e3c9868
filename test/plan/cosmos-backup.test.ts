import { describe, expect, it } from 'vitest';
import { defineBackend } from '../../src/backend/define-backend.js';
import { CrudApi } from '../../src/components/crud/index.js';
import type { BackendConfig } from '../../src/model/config.js';
import type { ResourcePlan } from '../../src/model/plan.js';
import { diffPlans } from '../../src/plan/diff/diff.js';
import { renderPlanHtml } from '../../src/plan/render/html.js';
import { renderDiffText, renderPlanText } from '../../src/plan/render/text.js';
import { expectHonest, synth } from '../support/synth.js';
import { thrown } from '../support/errors.js';

const notes = () => CrudApi.define('NoteApi', { entityName: 'Note', schema: { id: 'string' } });
const tasks = () => CrudApi.define('TaskApi', { entityName: 'Task', schema: { id: 'string' } });
const backendOf = (config: BackendConfig) =>
  defineBackend(
    { notes: notes(), tasks: tasks() },
    { naming: { uniqueSeed: 'sub/rg' }, ...config },
  );
const account = (plan: ResourcePlan) => plan.resources.find((r) => r.key === 'cosmos:shared')!;

describe('backup: the Cosmos DB account’s backup block', () => {
  it('defaults to continuous 7 days in prod and periodic elsewhere', () => {
    expect(account(backendOf({ environment: 'prod' }).plan()).config['backup']).toBe(
      'continuous7Days',
    );
    // Azure's own default stays unwritten (plans made before `backup` existed do not change).
    expect(account(backendOf({ environment: 'test' }).plan()).config).not.toHaveProperty('backup');
    expect(account(backendOf({}).plan()).config).not.toHaveProperty('backup');
    expect(
      account(backendOf({ environment: 'test', backup: { mode: 'periodic' } }).plan()).config[
        'backup'
      ],
    ).toBe('periodic');
    expect(
      account(backendOf({ environment: 'prod', backup: { mode: 'periodic' } }).plan()).config[
        'backup'
      ],
    ).toBe('periodic');
  });

  it('synthesizes each mode as azurerm spells it, the tier always written', () => {
    const block = (mode: 'continuous7Days' | 'continuous30Days' | 'periodic') => {
      const backend = backendOf({ environment: 'prod', backup: { mode } });
      const json = synth(backend);
      expectHonest(backend.plan(), json);
      return (Object.values(json.resource['azurerm_cosmosdb_account']!)[0] as { backup: unknown })
        .backup;
    };
    expect(block('continuous7Days')).toEqual({ type: 'Continuous', tier: 'Continuous7Days' });
    expect(block('continuous30Days')).toEqual({ type: 'Continuous', tier: 'Continuous30Days' });
    const unset = synth(backendOf({ environment: 'test' }));
    expect(Object.values(unset.resource['azurerm_cosmosdb_account']!)[0]).not.toHaveProperty(
      'backup',
    );
    expect(block('periodic')).toEqual({
      type: 'Periodic',
      interval_in_minutes: 240,
      retention_in_hours: 8,
      storage_redundancy: 'Geo',
    });
  });

  it('prices the 30-day tier per GB and region of the assumed data; 7 days and periodic are free', () => {
    const usd = (mode: 'continuous7Days' | 'continuous30Days' | 'periodic') =>
      account(backendOf({ environment: 'prod', backup: { mode } }).plan()).estimatedMonthlyUsd;
    // Two containers × 1 GB assumed × $0.20 per GB-month, one region.
    expect(usd('continuous30Days') - usd('continuous7Days')).toBeCloseTo(0.4, 5);
    expect(usd('continuous7Days')).toBe(usd('periodic'));
    const twoRegions = (mode: 'continuous7Days' | 'continuous30Days') =>
      account(
        backendOf({
          environment: 'prod',
          backup: { mode },
          cosmosConfig: { failoverPolicies: [{ locationName: 'westus2', priority: 1 }] },
        }).plan(),
      ).estimatedMonthlyUsd;
    expect(twoRegions('continuous30Days') - twoRegions('continuous7Days')).toBeCloseTo(0.8, 5);
  });

  it('shows the mode and its cost in the text plan and on the review page', () => {
    const plan = backendOf({ environment: 'prod', backup: { mode: 'continuous30Days' } }).plan();
    expect(renderPlanText(plan)).toMatch(
      /Backup of cosmos-\S+ \(cosmos:shared\): continuous backup, 30 days of point-in-time restore \(\$0\.20 per GB-month/,
    );
    const html = renderPlanHtml(plan);
    expect(html).toMatch(
      /<p class="backup" data-backup-mode="continuous30Days">Backup: continuous backup, 30 days/,
    );
    expect(renderPlanHtml(backendOf({}).plan())).toMatch(
      /data-backup-mode="periodic">Backup: periodic backup/,
    );
  });

  it('refuses a mode Azure does not have, and unknown keys', () => {
    expect(thrown(() => backendOf({ backup: { mode: 'hourly' as never } }).plan()).code).toBe(
      'CONFIG_INVALID',
    );
    expect(thrown(() => backendOf({ backup: { tier: 'x' } as never }).plan()).code).toBe(
      'CONFIG_UNKNOWN_KEY',
    );
  });

  it('continuous → periodic replaces the account (refused as data loss); periodic → continuous warns one-way', () => {
    const periodic = backendOf({ environment: 'prod', backup: { mode: 'periodic' } }).plan();
    const continuous = backendOf({ environment: 'prod' }).plan();
    const back = diffPlans(continuous, periodic);
    expect(back.hasDataLoss).toBe(true);
    expect(back.resources.replacements.map((r) => r.key)).toEqual(['cosmos:shared']);
    expect(back.issues.find((i) => i.code === 'STATEFUL_REPLACEMENT')?.message).toMatch(
      /backup: "continuous7Days" → "periodic"/,
    );
    const forward = diffPlans(periodic, continuous);
    expect(forward.hasDataLoss).toBe(false);
    expect(forward.issues.map((i) => [i.severity, i.code])).toEqual([
      ['warning', 'COSMOS_BACKUP_ONE_WAY'],
    ]);
    // 7 → 30 days is in place and keeps every restore point.
    const thirty = backendOf({ environment: 'prod', backup: { mode: 'continuous30Days' } }).plan();
    const tier = diffPlans(continuous, thirty);
    expect(tier.hasDataLoss).toBe(false);
    expect(tier.issues).toEqual([]);
    expect(tier.resources.changes.map((c) => c.key)).toEqual(['cosmos:shared']);
    // 30 → 7 days drops every restore point older than 7 days at once: a warning, with the code documented.
    const shorter = diffPlans(thirty, continuous);
    expect(shorter.hasDataLoss).toBe(false);
    expect(shorter.issues).toEqual([
      expect.objectContaining({
        severity: 'warning',
        code: 'COSMOS_BACKUP_RETENTION_SHORTENED',
        path: ['resources', 'cosmos:shared', 'config', 'backup'],
        message: expect.stringMatching(/from 30 to 7 days .*older than 7 days is gone/),
      }),
    ]);
    expect(renderDiffText(shorter)).toMatch(/COSMOS_BACKUP_RETENTION_SHORTENED/);
  });

  it('leaves an existing account’s backup to the deployment that owns it', () => {
    const plan = backendOf({
      environment: 'prod',
      cosmosConfig: { useExisting: true, accountName: 'cosmos-app-primary' },
    }).plan();
    expect(account(plan).config['backup']).toBeUndefined();
  });
});
