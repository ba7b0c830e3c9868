import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { defineBackend } from '../../src/backend/define-backend.js';
import { CrudApi } from '../../src/components/crud/index.js';
import { defineComponent } from '../../src/components/custom/define.js';
import type { BackendResourceType } from '../../src/kit/pure/resources/backend-resource-type.js';
import type { ResourceFacts } from '../../src/kit/pure/resources/resource-facts.js';
import {
  plannedResourceProviders,
  providerOfDeploy,
} from '../../src/kit/pure/resources/resource-providers.js';
import type { AnyResourceType } from '../../src/kit/pure/resources/resource-type.js';
import type { ResourcePlan } from '../../src/model/plan.js';
import { planBackend } from '../../src/plan/planner.js';
import { factsOf } from '../../src/resources/facts.js';
import { BUILTIN_BACKEND_TYPES, BUILTIN_TYPES } from '../../src/resources/types.js';
import { synth } from './synth.js';

/**
 * The resource-type conformance suite's checks, as one function both the suite (every registered type) and its
 * own test (a deliberately incomplete fake type) run. Each message names the type and the fact it lacks.
 */

/** A resource type as the suite sees it: a component type (planned from requirements) or a backend-level type. */
export type ConformanceSubject =
  | { readonly kind: 'component'; readonly type: AnyResourceType }
  | { readonly kind: 'backend'; readonly type: BackendResourceType };

/** What the checks read beside the type: the docs' headings and the types the real-provider fixtures plan. */
export interface ConformanceContext {
  /** `## \`<type>\`` headings of docs/resource-types.md. */
  readonly docsHeadings: ReadonlySet<string>;
  /** Types planned by a stack under test/terraform/fixtures (what `npm run check:terraform` validates). */
  readonly fixtureTypes: ReadonlySet<string>;
}

const root = resolve(import.meta.dirname, '../..');
/** The doc with one section per resource type. */
export const RESOURCE_TYPES_DOC = 'docs/resource-types.md';

/** Every registered type, read from the registry (`src/resources/types.ts`) — never a list of names. */
export function registeredSubjects(): ConformanceSubject[] {
  return [
    ...[...BUILTIN_TYPES.values()].map((type): ConformanceSubject => ({ kind: 'component', type })),
    ...BUILTIN_BACKEND_TYPES.map((type): ConformanceSubject => ({ kind: 'backend', type })),
  ];
}

/** The type names of `## \`name\`` headings in a markdown text. */
export function typeHeadings(markdown: string): Set<string> {
  return new Set([...markdown.matchAll(/^## `([^`]+)`/gm)].map((m) => m[1]!));
}

/** The docs' headings, read from {@link RESOURCE_TYPES_DOC}. */
export function docsHeadings(): Set<string> {
  return typeHeadings(readFileSync(resolve(root, RESOURCE_TYPES_DOC), 'utf8'));
}

// By name: a registered type's facts can be checked as given (the test of this checker changes one fact at a time).
const isRegistered = (s: ConformanceSubject): boolean =>
  s.kind === 'component'
    ? BUILTIN_TYPES.has(s.type.type)
    : BUILTIN_BACKEND_TYPES.some((b) => b.type === s.type.type);

const message = (e: unknown): string =>
  (e instanceof Error
    ? `${(e as { code?: string }).code ?? e.name}: ${e.message}`
    : String(e)
  ).split('\n')[0]!;

/**
 * Every fact a resource type lacks, one message each (empty when it conforms): registration, price (a model, a
 * source URL, a `monthlyUsd` ≥ 0 for its sample), resource providers for every `azurerm_*` Terraform type it
 * deploys (what the deploy preflight checks), Private Link zones under `privatelink.`, limits measured without
 * throwing, a sample that plans, synthesizes and matches its plan, `prevent_destroy` on the Terraform types
 * that hold its data, a section in docs/resource-types.md and a real-provider fixture.
 *
 * @example
 * ```ts
 * expect(conformanceIssues({ kind: 'component', type: cosmosType }, context)).toEqual([]);
 * ```
 */
export function conformanceIssues(
  subject: ConformanceSubject,
  context: ConformanceContext,
): string[] {
  const t = subject.type.type;
  const out: string[] = [];
  const issue = (fact: string, text: string) => out.push(`${t}: ${fact} — ${text}`);
  const registered = isRegistered(subject);
  if (!registered)
    issue(
      'registration',
      'not registered in src/resources/types.ts (BUILTIN_RESOURCE_TYPES or BUILTIN_BACKEND_RESOURCE_TYPES), so nothing plans or applies it',
    );
  const facts: Partial<ResourceFacts> | undefined = subject.type.facts;
  if (!facts) {
    issue(
      'facts',
      'the type carries no `facts` (declare them in src/resources/<type>/facts.ts and set `facts` on the type)',
    );
  }
  const f: Partial<ResourceFacts> = facts ?? {};

  // Price: how it is priced and where the numbers come from.
  if (!f.price?.model?.trim()) issue('price', 'no `price.model` saying how monthlyUsd prices it');
  if (!f.price?.sources?.some((u) => /^https:\/\/\S+$/.test(u)))
    issue('price', 'no `price.sources` URL (the pricing page the numbers come from)');

  // Resource providers: the deploy preflight reads them for the types a plan deploys.
  const providers = f.resourceProviders ?? [];
  if (providers.length === 0)
    issue(
      'resourceProviders',
      'no `resourceProviders` (the Azure resource-provider namespaces its resources live in, read by the deploy preflight)',
    );
  for (const p of providers) {
    if (!/^[A-Za-z]+\.[A-Za-z]+$/.test(p.namespace))
      issue(
        'resourceProviders',
        `"${p.namespace}" is not a resource-provider namespace (Microsoft.<Service>)`,
      );
    if (p.terraformTypes.length === 0)
      issue('resourceProviders', `${p.namespace} names no Terraform types`);
  }

  // Private Link: every zone is Azure's privatelink.* zone of the subresource.
  for (const target of f.privateLink?.targets ?? []) {
    if (!target.subresource.trim()) issue('privateLink', 'a target without a subresource');
    if (!target.zone.startsWith('privatelink.'))
      issue(
        'privateLink',
        `the ${target.subresource} target's zone "${target.zone}" is not under privatelink.`,
      );
  }

  if (f.dataHolding && !f.terraformTypes?.data?.length)
    issue(
      'terraformTypes.data',
      'data-holding, but no Terraform types hold the data (nothing would get prevent_destroy)',
    );
  if (!context.docsHeadings.has(t))
    issue('docs', `no "## \`${t}\`" section in ${RESOURCE_TYPES_DOC}`);
  if (!context.fixtureTypes.has(t))
    issue(
      'terraform-fixture',
      'no stack under test/terraform/fixtures plans it, so the real providers never validate it',
    );

  const sample = f.sample;
  if (!sample) {
    issue('sample', 'no `sample` (the smallest requirements, and backend config, that plan it)');
    return out;
  }
  if (subject.kind === 'backend' && !registered) return out;

  // The sample, planned: through the backend a user writes (registered), or with the type added (not yet registered).
  let plan: ResourcePlan;
  let backend: ReturnType<typeof sampleBackend> | undefined;
  try {
    backend = sampleBackend(sample);
    plan = registered
      ? backend.plan()
      : planBackend({
          config: backend.config,
          components: [{ key: 'sample', definition: sampleComponent(sample) }],
          extraTypes: subject.kind === 'component' ? [subject.type] : [],
        });
  } catch (e) {
    issue('sample', `planning the sample throws (${message(e)})`);
    return out;
  }
  const errors = plan.issues.filter((i) => i.severity === 'error');
  if (errors.length) {
    issue(
      'sample',
      `the sample does not plan: ${errors.map((i) => `${i.code} ${i.message}`).join('; ')}`,
    );
    return out;
  }
  const mine = plan.resources.filter((r) => r.type === t);
  if (mine.length === 0) {
    issue('sample', 'the sample plans no resource of this type');
    return out;
  }
  const factsFor = (type: string): ResourceFacts =>
    type === t && facts ? (facts as ResourceFacts) : factsOf(type);
  const preflight = new Set(plannedResourceProviders(plan, factsFor).map((p) => p.namespace));
  for (const r of mine) {
    if (!(Number.isFinite(r.estimatedMonthlyUsd) && r.estimatedMonthlyUsd >= 0))
      issue('price', `monthlyUsd of the sample is ${r.estimatedMonthlyUsd}, not a number ≥ 0`);
    for (const limit of f.limits ?? []) {
      if (limit.measure === 'count') continue;
      try {
        const measured = limit.measure(r);
        if (measured.some((m) => !Number.isFinite(m.requested)))
          issue('limits', `${limit.limit} measures a non-number on the sample`);
      } catch (e) {
        issue('limits', `${limit.limit} throws measuring the sample (${message(e)})`);
      }
    }
    try {
      f.diagnostics?.(r);
    } catch (e) {
      issue('diagnostics', `diagnostics() throws on the sample (${message(e)})`);
    }
    for (const d of r.deploys) {
      if (!d.terraformType.startsWith('azurerm_')) continue;
      const p = facts ? providerOfDeploy(facts as ResourceFacts, d.terraformType) : undefined;
      if (!p)
        issue(
          'resourceProviders',
          `deploys ${d.terraformType}, but no \`resourceProviders\` entry names its Azure resource provider (the deploy preflight would not check it)`,
        );
      else if (!preflight.has(p.namespace))
        issue(
          'resourceProviders',
          `${p.namespace} (for ${d.terraformType}) is not among the providers the preflight checks`,
        );
    }
  }
  const deployed = new Set(mine.flatMap((r) => r.deploys.map((d) => d.terraformType)));
  for (const dataType of f.terraformTypes?.data ?? []) {
    if (!deployed.has(dataType))
      issue(
        'sample',
        `terraformTypes.data names ${dataType}, which the sample does not deploy (so its prevent_destroy goes unchecked)`,
      );
  }

  if (!registered) {
    issue(
      'synth',
      'not synthesized: only a registered type has a provisioner (src/resources/provisioners.ts)',
    );
    return out;
  }
  let json: ReturnType<typeof synth>;
  try {
    json = synth(backend);
  } catch (e) {
    issue('synth', `the sample does not synthesize (${message(e)})`);
    return out;
  }
  // Plan honesty: every Terraform resource the type's deploys promise is in the synthesized JSON.
  for (const d of mine.flatMap((r) => r.deploys)) {
    if (!json.resource[d.terraformType]?.[d.name])
      issue('deploys', `plans ${d.terraformType}.${d.name}, which apply does not synthesize`);
  }
  for (const dataType of f.terraformTypes?.data ?? []) {
    for (const [name, body] of Object.entries(json.resource[dataType] ?? {})) {
      const lifecycle = body['lifecycle'] as { prevent_destroy?: boolean } | undefined;
      if (lifecycle?.prevent_destroy !== true)
        issue(
          'prevent_destroy',
          `${dataType}.${name} holds data but has no lifecycle.prevent_destroy`,
        );
    }
  }
  return out;
}

function sampleComponent(sample: NonNullable<ResourceFacts['sample']>) {
  return defineComponent({
    type: 'ConformanceSample',
    id: 'Sample',
    config: {},
    requirements: () =>
      sample.requirements.map((r, i) => ({
        resourceType: r.resourceType,
        requirementKey: `sample-${i}`,
        config: { ...r.config },
      })),
  });
}

function sampleBackend(sample: NonNullable<ResourceFacts['sample']>) {
  // A tenant registry lives in a CrudApi's account and is served by the CRUD runtime (TENANTS_CRUDAPI_MISSING): a
  // sample of a type that needs one (the SCIM app, e-mail invitations) plans beside the smallest CrudApi.
  const registry = sample.backend?.['tenants'] !== undefined;
  return defineBackend(
    {
      sample: sampleComponent(sample),
      ...(registry
        ? { host: CrudApi.define('HostApi', { entityName: 'Host', schema: { id: 'string' } }) }
        : {}),
    },
    { ...sample.backend },
  );
}
