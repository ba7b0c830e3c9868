import { describe, expect, it } from 'vitest';
import { defineBackend } from '../../src/backend/define-backend.js';
import { defineComponent } from '../../src/components/custom/define.js';
import { DEFAULT_NAME_RULE } from '../../src/kit/pure/names/azure-name-rules.js';
import {
  plannedResourceProviders,
  resourceProvidersOf,
} from '../../src/kit/pure/resources/resource-providers.js';
import {
  defineResourceType,
  type AnyResourceType,
} from '../../src/kit/pure/resources/resource-type.js';
import { cosmosType } from '../../src/resources/cosmos/type.js';
import { factsOf } from '../../src/resources/facts.js';
import { functionsType } from '../../src/resources/functions/type.js';
import {
  conformanceIssues,
  docsHeadings,
  registeredSubjects,
  type ConformanceContext,
} from '../support/conformance.js';
import { fixtureBackends } from '../terraform/targets.js';

// Every registered resource type (read from the registry, built-in and backend-level) passes one suite: a type
// registered without one of its facts fails here, with a message naming the type and the fact.
const context = async (): Promise<ConformanceContext> => ({
  docsHeadings: docsHeadings(),
  fixtureTypes: new Set(
    (await fixtureBackends()).flatMap((b) => b.plan.resources.map((r) => r.type)),
  ),
});

describe('resource-type conformance', async () => {
  const ctx = await context();
  const subjects = registeredSubjects();

  it('reads the registry (component and backend-level types)', () => {
    expect(subjects.filter((s) => s.kind === 'component').length).toBeGreaterThan(0);
    expect(subjects.filter((s) => s.kind === 'backend').length).toBeGreaterThan(0);
  });

  it.each(subjects.map((s) => [s.type.type, s] as const))('%s has every fact', (_, subject) => {
    expect(conformanceIssues(subject, ctx)).toEqual([]);
  });
});

describe('the conformance checker', () => {
  const ctx: ConformanceContext = { docsHeadings: new Set(), fixtureTypes: new Set() };

  // A type as someone might add it: planned and priced, but with most of its facts forgotten or wrong.
  const half = defineResourceType<{ size?: number }, { size: number }>()({
    type: 'halfdone',
    namePrefix: 'hd',
    facts: {
      dataHolding: true,
      terraformTypes: {},
      name: DEFAULT_NAME_RULE,
      privateLink: { targets: [{ subresource: 'thing', zone: 'thing.example.net' }] },
      price: { model: 'per thing', sources: [] },
      limits: [
        {
          limit: 'maxStorageAccounts',
          what: 'things',
          measure: () => {
            throw new TypeError('config.things is undefined');
          },
        },
      ],
      diagnostics: (r) => [
        { allLogs: true, metrics: [String((r.config['metrics'] as string[]).length)] },
      ],
      sample: { requirements: [{ resourceType: 'halfdone', config: {} }] },
    },
    compatibility: () => ({ key: 'default', isDefault: true }),
    merge: (reqs) => ({
      config: { size: Math.max(0, ...reqs.map((r) => r.requirement.config.size ?? 0)) },
      issues: [],
    }),
    deploys: (g) => [
      { terraformType: 'azurerm_thing', name: `${g.name.replace(/-/g, '_')}_thing` },
    ],
    monthlyUsd: () => -1,
  });

  it('reports each fact an incomplete type forgot, naming the type and the fact', () => {
    const issues = conformanceIssues({ kind: 'component', type: half }, ctx);
    const facts = issues.map((i) => /^halfdone: ([^ ]+) —/.exec(i)?.[1]);
    expect(facts).not.toContain(undefined);
    for (const fact of [
      'registration',
      'price',
      'resourceProviders',
      'privateLink',
      'terraformTypes.data',
      'docs',
      'terraform-fixture',
      'limits',
      'diagnostics',
      'synth',
    ]) {
      expect(facts, `${fact} in ${issues.join('\n')}`).toContain(fact);
    }
    expect(issues.join('\n')).toMatch(/no `price.sources` URL/);
    expect(issues.join('\n')).toMatch(/monthlyUsd of the sample is -1/);
    expect(issues.join('\n')).toMatch(/deploys azurerm_thing, but no `resourceProviders` entry/);
    expect(issues.join('\n')).toMatch(/zone "thing.example.net" is not under privatelink\./);
    expect(issues.join('\n')).toMatch(
      /maxStorageAccounts throws measuring the sample \(TypeError: config.things is undefined\)/,
    );
  });

  it('reports a type with no facts or no sample, and a sample that does not plan', () => {
    const bare: AnyResourceType = { ...half, facts: undefined };
    expect(conformanceIssues({ kind: 'component', type: bare }, ctx)).toEqual(
      expect.arrayContaining([
        expect.stringMatching(/^halfdone: facts —/),
        expect.stringMatching(/^halfdone: sample — no `sample`/),
      ]),
    );
    const unplannable: AnyResourceType = {
      ...half,
      facts: {
        ...half.facts,
        sample: { requirements: [{ resourceType: 'nosuchtype', config: {} }] },
      },
    };
    expect(conformanceIssues({ kind: 'component', type: unplannable }, ctx)).toEqual(
      expect.arrayContaining([
        expect.stringMatching(/^halfdone: sample — the sample does not plan: /),
      ]),
    );
  });

  it('reports a registered type whose data is not protected or whose namespace is missing', () => {
    // The registered Cosmos DB type with its provider facts and data types forgotten: the synthesized sample shows both.
    const withoutProviders = {
      ...cosmosType,
      facts: { ...cosmosType.facts, resourceProviders: [] },
    };
    expect(
      conformanceIssues({ kind: 'component', type: withoutProviders }, ctx).join('\n'),
    ).toMatch(/cosmos: resourceProviders — deploys azurerm_cosmosdb_account, but no/);
    // Function Apps declared data-holding with their plan as data: apply (reading the registered facts) does not protect it.
    const planAsData = {
      ...functionsType,
      facts: {
        ...functionsType.facts,
        dataHolding: true,
        terraformTypes: { data: ['azurerm_service_plan'] },
      },
    };
    expect(conformanceIssues({ kind: 'component', type: planAsData }, ctx).join('\n')).toMatch(
      /functions: prevent_destroy — azurerm_service_plan\.\S+ holds data but has no lifecycle\.prevent_destroy/,
    );
  });
});

describe('the deploy preflight reads the resource providers of the planned types from their facts', () => {
  const backend = defineBackend({
    sample: defineComponent({
      type: 'S',
      id: 'S',
      config: {},
      requirements: () => [
        {
          resourceType: 'servicebus',
          requirementKey: 'bus',
          config: { queues: [{ name: 'jobs' }] },
        },
      ],
    }),
  });

  it('lists the namespaces of the deployed types only, each with who registers it', () => {
    const plan = backend.plan();
    expect(plannedResourceProviders(plan, factsOf)).toEqual([
      { namespace: 'Microsoft.ServiceBus', registeredByAzurerm: true, registeredByStack: false },
    ]);
    expect(resourceProvidersOf(plan, factsOf)).not.toContain('Microsoft.DocumentDB');
  });

  it('a namespace the facts say azurerm does not register is reported as such (the preflight then refuses it)', () => {
    const own = (type: string) =>
      type === 'servicebus'
        ? {
            ...factsOf(type),
            resourceProviders: [
              {
                namespace: 'Microsoft.NewService',
                terraformTypes: ['azurerm_servicebus_'],
                registeredByAzurerm: false,
              },
            ],
          }
        : factsOf(type);
    expect(plannedResourceProviders(backend.plan(), own)).toEqual([
      { namespace: 'Microsoft.NewService', registeredByAzurerm: false, registeredByStack: false },
    ]);
  });
});
