/**
 * The files account's lifecycle policy for any number of FileStores: rules of at most 10 prefixes (Azure's limit a
 * rule, which neither validate nor plan checks), every store's staging, records and versions covered with the
 * right action, and a plan limit where Azure's 100 rules a policy would be passed. The same 11- and 25-store
 * backends are fixtures the real providers judge (test/terraform/fixtures/many-files.ts).
 */
import { describe, expect, it } from 'vitest';
import { defineBackend } from '../../src/backend/define-backend.js';
import { FileStore } from '../../src/components/files/index.js';
import { ResourceLimitError } from '../../src/model/errors.js';
import {
  LIFECYCLE_PREFIXES_PER_RULE,
  LIFECYCLE_RULES_PER_POLICY,
} from '../../src/resources/storage/lifecycle.js';
import { expectHonest, synth } from '../support/synth.js';
import { ResourceGroupStack } from '../../src/apply/resource-group-stack.js';
import { Testing } from '../support/engine.js';

const storesOf = (n: number) =>
  Object.fromEntries(
    Array.from({ length: n }, (_, i) => [
      `store${String(i)}`,
      FileStore.define(`Store${String(i).padStart(3, '0')}`, { maxSizeMb: 1 }),
    ]),
  );

interface Rule {
  name: string;
  enabled: boolean;
  filters: { prefix_match: string[]; blob_types: string[] };
  actions: {
    base_blob?: { delete_after_days_since_creation_greater_than?: number };
    version?: { delete_after_days_since_creation?: number };
  };
}

function rulesOf(n: number) {
  const backend = defineBackend(storesOf(n), { environment: 'prod' });
  const plan = backend.plan();
  const json = synth(backend);
  const policies = Object.values(json.resource['azurerm_storage_management_policy'] ?? {});
  expect(policies).toHaveLength(1);
  return { plan, json, rules: policies[0]!['rule'] as Rule[] };
}

describe.each([1, 10, 11, 25])('%i FileStores', (n) => {
  const { plan, json, rules } = rulesOf(n);
  const containers = Array.from({ length: n }, (_, i) => `store${String(i).padStart(3, '0')}`);
  const covered = (pick: (r: Rule) => boolean) =>
    rules
      .filter(pick)
      .flatMap((r) => r.filters.prefix_match)
      .sort();

  it('no rule names more than 10 prefixes, rule names are unique, and the plan has no limit violation', () => {
    for (const r of rules)
      expect(r.filters.prefix_match.length, r.name).toBeLessThanOrEqual(
        LIFECYCLE_PREFIXES_PER_RULE,
      );
    expect(new Set(rules.map((r) => r.name)).size).toBe(rules.length);
    expect(rules.every((r) => r.enabled && r.filters.blob_types.join() === 'blockBlob')).toBe(true);
    expect(plan.limitViolations).toEqual([]);
  });

  it("every store's staged uploads and URL records go a day after creation, its pending records after three, its versions after one", () => {
    const staged = (r: Rule) =>
      r.actions.base_blob?.delete_after_days_since_creation_greater_than === 1;
    const records = (r: Rule) =>
      r.actions.base_blob?.delete_after_days_since_creation_greater_than === 3;
    const versions = (r: Rule) => r.actions.version?.delete_after_days_since_creation === 1;
    expect(covered(staged)).toEqual(
      containers.flatMap((c) => [`${c}/~staging/`, `${c}/~urls/`]).sort(),
    );
    expect(covered((r) => r.name.startsWith('expire-upload-url-records'))).toEqual(
      containers.map((c) => `${c}/~urls/`),
    );
    expect(covered(records)).toEqual(containers.map((c) => `${c}/~pending/`));
    expect(covered(versions)).toEqual(containers.map((c) => `${c}/`));
    // Each prefix in exactly one rule of its kind, and no rule of two kinds.
    for (const r of rules)
      expect([staged(r), records(r), versions(r)].filter(Boolean)).toHaveLength(1);
    // The names a deployed policy already has stay: the first rule of each kind keeps its name.
    expect(rules.map((r) => r.name)).toEqual(
      expect.arrayContaining([
        'expire-staged-uploads',
        'expire-pending-uploads',
        'delete-previous-versions',
        'expire-upload-url-records',
      ]),
    );
  });

  it('the plan lists exactly what apply creates', () => {
    expectHonest(plan, json);
  });
});

describe("Azure's 100 rules a policy", () => {
  // Four kinds of rule (staged bytes, URL records, pending records, versions), ten prefixes each: 250 stores need
  // 100 rules, 251 need 104. The Function App's own limit (200 functions, each FileStore has 3) is raised here so
  // the policy's limit is the one reached.
  const wide = (n: number) =>
    defineBackend(storesOf(n), {
      environment: 'prod',
      limits: { maxFunctionsPerApp: 5000, maxContainersPerStorage: 5000 },
    });

  it('250 FileStores fit; 251 are a limit violation that names the account and what to do', () => {
    expect(wide(250).plan().limitViolations).toEqual([]);
    const plan = wide(251).plan();
    expect(plan.limitViolations).toEqual([
      expect.objectContaining({
        limit: 'lifecycleRulesPerPolicy',
        allowed: LIFECYCLE_RULES_PER_POLICY,
        requested: 104,
        resourceType: 'storage',
      }),
    ]);
    const v = plan.limitViolations[0]!;
    expect(v.message).toMatch(/lifecycle management rules.*\(st/);
    expect(v.solutions.join(' ')).toMatch(/Split the FileStores across backends/);
    expect(v.solutions.join(' ')).not.toMatch(/quota/);
  });

  it('apply refuses it with ResourceLimitError before anything is synthesized', () => {
    const stack = new ResourceGroupStack(Testing.app(), 'S', {
      resourceGroupName: 'rg',
      location: 'eastus',
    });
    let thrown: unknown;
    try {
      wide(251).apply(stack);
    } catch (e) {
      thrown = e;
    }
    expect(thrown).toBeInstanceOf(ResourceLimitError);
    expect(String((thrown as Error).message)).toMatch(/Limit: 100[\s\S]*Requested: 104/);
  });

  it('a limit of config never names it (Azure-only: limits.lifecycleRulesPerPolicy is refused)', () => {
    expect(() =>
      defineBackend(storesOf(1), {
        limits: { lifecycleRulesPerPolicy: 200 } as unknown as { maxFunctionApps: number },
      }).plan(),
    ).toThrow(expect.objectContaining({ code: 'CONFIG_UNKNOWN_KEY' }));
  });
});
