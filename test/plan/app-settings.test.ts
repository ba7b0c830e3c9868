import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { defineBackend } from '../../src/backend/define-backend.js';
import type { AtakoraError } from '../../src/model/errors.js';
import { CrudApi } from '../../src/components/crud/index.js';
import { defineComponent } from '../../src/components/custom/define.js';
import type { PlanIssue } from '../../src/model/plan.js';
import type { FunctionsRequirementConfig } from '../../src/resources/functions/requirement.js';
import { mergeAppSettings } from '../../src/resources/functions/app-settings.js';
import type { TypedRequirement } from '../../src/kit/pure/resources/resource-type.js';
import { settingName } from '../../src/kit/pure/names/terraform-names.js';
import { componentIdentitySetting } from '../../src/kit/pure/names/component-identity.js';

const functionsReq = (
  componentId: string,
  config: Partial<FunctionsRequirementConfig>,
  index = 0,
): TypedRequirement<FunctionsRequirementConfig> => ({
  componentId,
  componentKey: componentId.toLowerCase(),
  componentType: 'Custom',
  index,
  requirement: {
    resourceType: 'functions',
    requirementKey: `${componentId}-functions-${index}`,
    config: { runtime: 'node', ...config },
  },
});

function catchError(f: () => unknown): AtakoraError {
  try {
    f();
  } catch (e) {
    return e as AtakoraError;
  }
  throw new Error('expected an error');
}

/** What the merge must give, written the slow and obvious way: every write, then the names sorted. */
function expected(reqs: readonly TypedRequirement<FunctionsRequirementConfig>[]) {
  const writes: { name: string; value: string; owner: string; shared: boolean }[] = [];
  for (const r of reqs) {
    const c = r.requirement.config;
    for (const [k, v] of Object.entries(c.environmentVariables ?? {}))
      writes.push({
        name: settingName(r.componentId, k),
        value: v,
        owner: r.componentId,
        shared: false,
      });
    for (const [k, v] of Object.entries(c.sharedSettings ?? {}))
      writes.push({ name: k, value: v, owner: r.componentId, shared: true });
  }
  // Each consumer's identity setting is apply's: never in the merged settings, and nobody else's to write.
  const identities = new Set(reqs.map((r) => componentIdentitySetting(r.componentId)));
  const written = [...new Set(writes.map((w) => w.name))].sort();
  const names = written.filter((n) => !identities.has(n));
  const collisions = written.filter((n) => {
    if (identities.has(n)) return true;
    const ws = writes.filter((w) => w.name === n);
    // A component's own setting meets another's, or a shared one (one component's two requirements may repeat theirs).
    return ws.some((a) =>
      ws.some((b) => (a.owner !== b.owner || a.shared !== b.shared) && !(a.shared && b.shared)),
    );
  });
  const conflicts = names.filter((n) => {
    const ws = writes.filter((w) => w.name === n && w.shared);
    // Shared writes that disagree, whoever made them (one component's two requirements too).
    return !collisions.includes(n) && new Set(ws.map((w) => w.value)).size > 1;
  });
  const values = new Map(writes.map((w) => [w.name, w.value])); // the last write of each name
  return { names, collisions, conflicts, values };
}

describe('app settings of a shared Function App (resources/functions/app-settings.ts)', () => {
  it("two CrudApis whose ids differ only in case or punctuation are refused, not one reading the other's container", () => {
    const users = CrudApi.define('UserApi', { entityName: 'User', schema: { id: 'string' } });
    const people = CrudApi.define('user-api', { entityName: 'Person', schema: { id: 'string' } });
    for (const make of [
      () => defineBackend({ users, people }, { environment: 'test' }),
      () =>
        defineBackend({ environment: 'test' })
          .addComponent('users', users)
          .addComponent('people', people),
    ]) {
      const error = catchError(make);
      expect(error).toMatchObject({
        code: 'DUPLICATE_COMPONENT_ID',
        path: ['components', 'people'],
      });
      expect(error.message).toMatch(
        /"UserApi" \(users\) and "user-api" \(people\) differ only in case or punctuation.*USER_API_/,
      );
    }
    // Ids that only look alike are fine: another letter or digit is another prefix.
    expect(() =>
      defineBackend(
        {
          users,
          p: CrudApi.define('UserApi2', { entityName: 'Person', schema: { id: 'string' } }),
        },
        { environment: 'test' },
      ),
    ).not.toThrow();
  });

  it("a component setting that lands on another component's name, or on a shared one, is an error too", () => {
    const issues: PlanIssue[] = [];
    const out = mergeAppSettings(
      [
        functionsReq('Api', { environmentVariables: { X_MODE: 'a' } }),
        functionsReq('ApiX', { environmentVariables: { MODE: 'b' } }),
        functionsReq('Jobs', { sharedSettings: { JOBS_QUEUE: 'q' } }),
        functionsReq('Kit', { sharedSettings: { API_X_MODE: 'c' } }),
      ].sort((a, b) => (a.componentId < b.componentId ? -1 : 1)),
      issues,
    );
    expect(Object.keys(out)).toEqual(['API_X_MODE', 'JOBS_QUEUE']);
    expect(issues.map((i) => [i.code, i.components])).toEqual([
      ['APP_SETTING_COLLISION', ['Api', 'ApiX']],
    ]);
    expect(issues[0]!.message).toMatch(
      /API_X_MODE would be written by Api's setting \(prefix API\) and by ApiX's MODE \(prefix API_X\)/,
    );
    expect(issues[0]!.resolution).toBe('Rename MODE, or give one of the components another id.');
  });

  it("a setting named like a consumer's identity setting is an error, not replaced by apply without a word", () => {
    const issues: PlanIssue[] = [];
    const out = mergeAppSettings(
      [
        functionsReq('Api', { environmentVariables: { AZURE_CLIENT_ID: 'mine', MODE: 'a' } }),
        functionsReq('Jobs', { environmentVariables: { RUN: 'b' } }),
      ],
      issues,
    );
    expect(out).toEqual({ API_MODE: 'a', JOBS_RUN: 'b' });
    expect(issues.map((i) => [i.code, i.components, i.path])).toEqual([
      [
        'APP_SETTING_COLLISION',
        ['Api'],
        ['components', 'api', 'requirements', 0, 'environmentVariables', 'AZURE_CLIENT_ID'],
      ],
    ]);
    expect(issues[0]!.message).toBe(
      "App setting API_AZURE_CLIENT_ID is the client id of Api's identity, which apply sets: Api's AZURE_CLIENT_ID would be replaced by it.",
    );
    // Another consumer's: Api's X_AZURE_CLIENT_ID is Api-x's identity setting.
    const other: PlanIssue[] = [];
    mergeAppSettings(
      [
        functionsReq('Api', { environmentVariables: { X_AZURE_CLIENT_ID: 'mine' } }),
        functionsReq('Api-x', {}),
      ],
      other,
    );
    expect(other.map((i) => i.components)).toEqual([['Api', 'Api-x']]);
  });

  it('shared settings may repeat with one value; another value is a MERGE_CONFLICT', () => {
    const same: PlanIssue[] = [];
    expect(
      mergeAppSettings(
        [
          functionsReq('A', { sharedSettings: { REGION: 'eu' } }),
          functionsReq('B', { sharedSettings: { REGION: 'eu' } }),
        ],
        same,
      ),
    ).toEqual({ REGION: 'eu' });
    expect(same).toEqual([]);
    const different: PlanIssue[] = [];
    mergeAppSettings(
      [
        functionsReq('A', { sharedSettings: { REGION: 'eu' } }),
        functionsReq('B', { sharedSettings: { REGION: 'us' } }),
      ],
      different,
    );
    expect(different.map((i) => [i.code, i.components])).toEqual([['MERGE_CONFLICT', ['A', 'B']]]);
  });

  it('a name that collides is one APP_SETTING_COLLISION, never also a MERGE_CONFLICT, whatever the order of its writes', () => {
    // The property's shrunk case (seed 1920484491): A and a share A_A, a's own A lands on it, and the two shared
    // values differ. The conflict was reported after the collision only when the later shared write came last.
    const issues: PlanIssue[] = [];
    const out = mergeAppSettings(
      [
        functionsReq('A', { sharedSettings: { A_A: '1' } }, 2),
        functionsReq('a', { environmentVariables: { A: '1' } }, 0),
        functionsReq('a', { sharedSettings: { A_A: '2' } }, 1),
      ],
      issues,
    );
    expect(Object.keys(out)).toEqual(['A_A']);
    expect(issues.map((i) => i.code)).toEqual(['APP_SETTING_COLLISION']);
    // The conflict first, the collision after: still the collision alone.
    const later: PlanIssue[] = [];
    mergeAppSettings(
      [
        functionsReq('A', { sharedSettings: { B_X: '1' } }),
        functionsReq('B', { sharedSettings: { B_X: '2' } }),
        functionsReq('B', { environmentVariables: { X: '3' } }, 1),
      ],
      later,
    );
    expect(later.map((i) => i.code)).toEqual(['APP_SETTING_COLLISION']);
  });

  it('property: any components, ids and names — the settings in code-unit order, every collision and conflict reported', () => {
    // A small alphabet, so that ids share prefixes (Ab, ab, a-b) and names land on each other (A_B + C vs A + B_C).
    const id = fc.stringMatching(/^[Aab_-][ab1_-]{0,3}$/);
    // …and land on a consumer's identity setting (A + AZURE_CLIENT_ID, or A + B_AZURE_CLIENT_ID against a-b).
    const name = fc.oneof(
      { weight: 5, arbitrary: fc.stringMatching(/^[ABC][ABC_]{0,3}$/) },
      fc.constantFrom('AZURE_CLIENT_ID', 'B_AZURE_CLIENT_ID'),
    );
    const settings = fc.dictionary(name, fc.constantFrom('1', '2'), { maxKeys: 3 });
    const req = fc.record({ id, env: settings, shared: fc.option(settings, { nil: undefined }) });
    fc.assert(
      fc.property(fc.array(req, { maxLength: 6 }), (specs) => {
        const reqs = specs
          .map((s, i) =>
            functionsReq(
              s.id,
              { environmentVariables: s.env, ...(s.shared ? { sharedSettings: s.shared } : {}) },
              i,
            ),
          )
          .sort((a, b) =>
            a.componentId < b.componentId
              ? -1
              : a.componentId > b.componentId
                ? 1
                : a.index - b.index,
          );
        const issues: PlanIssue[] = [];
        const out = mergeAppSettings(reqs, issues);
        const want = expected(reqs);
        expect(Object.keys(out)).toEqual(want.names);
        for (const n of want.names)
          if (!want.collisions.includes(n) && !want.conflicts.includes(n))
            expect(out[n]).toBe(want.values.get(n));
        const reported = (code: string) =>
          [
            ...new Set(issues.filter((i) => i.code === code).map((i) => i.message.split(' ')[2])),
          ].sort();
        expect(reported('APP_SETTING_COLLISION')).toEqual(want.collisions);
        expect(reported('MERGE_CONFLICT')).toEqual(want.conflicts);
      }),
      { numRuns: 500 },
    );
  });

  it("a custom component's settings take their prefix in one app with CrudApis", () => {
    const jobs = defineComponent({
      type: 'Jobs',
      id: 'NightlyJobs',
      config: {},
      requirements: () => [
        {
          resourceType: 'functions',
          requirementKey: 'fn',
          config: { runtime: 'node', environmentVariables: { MODE: 'batch' } },
        },
      ],
    });
    const plan = defineBackend(
      { jobs, users: CrudApi.define('UserApi', { entityName: 'User', schema: { id: 'string' } }) },
      { environment: 'test' },
    ).plan();
    const settings = plan.resources.find((r) => r.type === 'functions')!.config[
      'appSettings'
    ] as Record<string, string>;
    expect(Object.keys(settings)).toEqual([
      'NIGHTLY_JOBS_MODE',
      'USER_API_CONTAINER_NAME',
      'USER_API_COSMOS_ENDPOINT',
      'USER_API_DATABASE_NAME',
    ]);
    expect(plan.issues.filter((i) => i.severity === 'error')).toEqual([]);
  });
});
