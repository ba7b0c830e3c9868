import { readdirSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import type { NormalizedConfig } from '../../src/model/config.js';
import type { ResourcePlan } from '../../src/model/plan.js';

/**
 * What `npm run check:terraform` (scripts/check-terraform.ts) runs through the real azurerm and azuread providers,
 * and what it expects them to say. Pure data: read by the script, by test/terraform/targets.test.ts, which fails
 * when an example file is in neither list, and by the conformance suite (test/resources/conformance.test.ts), which
 * fails a registered resource type no fixture stack plans.
 *
 * Each stack is synthesized, then `terraform init -backend=false`, `terraform validate -json` and the offline
 * `terraform plan` (the shared tf-plan.sh) run on it; any error or warning not in {@link EXPECTED_DIAGNOSTICS} fails it.
 */

/** How an example is synthesized: by `atakora synth` (its exported backends) and/or by its own cdktf program. */
export interface ExampleTarget {
  /** `atakora synth <file>`: one stack per exported backend. */
  readonly cli?: boolean;
  /** The exported function that is the example's cdktf program, called with an outdir (`synthBasic(outdir)`). */
  readonly program?: string;
  /** Not a stack of its own: why (a helper module, a handler, site content, a workflow). */
  readonly skip?: string;
}

/**
 * Every file under `examples/` (a key ending in `/` covers a folder of content files). A new example file that is
 * neither checked nor skipped with a reason fails test/terraform/targets.test.ts.
 */
export const EXAMPLE_TARGETS: Readonly<Record<string, ExampleTarget>> = {
  'examples/basic.ts': { cli: true, program: 'synthBasic' },
  'examples/blue-green.ts': { cli: true, program: 'synthBlueGreen' },
  'examples/builder-feature-flags.ts': { cli: true, program: 'synthBuilder' },
  'examples/custom-provider.ts': { cli: true, program: 'synthCustomProvider' },
  'examples/disaster-recovery.ts': { cli: true, program: 'synthDisasterRecovery' },
  'examples/least-privilege.ts': { cli: true, program: 'synthLeastPrivilege' },
  'examples/limits.ts': { cli: true, program: 'synthLimits' },
  'examples/multi-region.ts': { cli: true, program: 'synthMultiRegion' },
  'examples/multi-tenant.ts': { cli: true, program: 'synthMultiTenant' },
  'examples/network-isolation.ts': { cli: true, program: 'synthNetworkIsolation' },
  'examples/order-processing.ts': { cli: true, program: 'synthOrderProcessing' },
  'examples/per-environment.ts': { cli: true, program: 'synthPerEnvironment' },
  'examples/quick-start.ts': { cli: true, program: 'synthQuickStart' },
  'examples/saas-access.ts': { cli: true, program: 'synthSaasAccess' },
  'examples/security-boundaries.ts': { cli: true, program: 'synthSecurityBoundaries' },
  'examples/sign-in.ts': { cli: true, program: 'synthSignIn' },
  'examples/ttl.ts': { cli: true, program: 'synthTtl' },
  'examples/invitation-email.ts': { cli: true, program: 'synthInvitationEmail' },
  'examples/search.ts': { cli: true, program: 'synthSearch' },
  'examples/integrations.ts': { cli: true, program: 'synthIntegrations' },
  'examples/agents.ts': { cli: true, program: 'synthAgents' },
  'examples/team-notes/backend.ts': { cli: true },
  'examples/teams/backend.ts': { cli: true },
  'examples/customers/backend.ts': { cli: true },
  'examples/clinic/backend.ts': { cli: true },
  'examples/saas/backend.ts': { cli: true },
  'examples/billing/backend.ts': { cli: true },
  'examples/billing/subscriptions.ts': { cli: true },
  'examples/billing/marketplace.ts': { cli: true },
  'examples/billing/packages.ts': { cli: true },
  'examples/billing/src/': {
    skip: "the report summary handler packaged into billing/packages.ts's Function App (checked)",
  },
  'examples/billing/site/': {
    skip: 'the page subscriptions.ts serves (content; test/examples/billing-browser.test.ts runs it)',
  },
  'examples/saas/atakora.access.json': {
    skip: 'the access matrix atakora verify wrote for saas/backend.ts (checked; test/cli/verify-registry.test.ts proves it)',
  },
  'examples/cdktf-project/main.ts': { program: 'main' },
  'examples/cdktf-project/README.md': {
    skip: "the cdktf project's instructions; main.ts beside it is checked",
  },
  'examples/cdktf-project/cdktf.json': {
    skip: "the cdktf CLI's project file; main.ts beside it is checked",
  },
  'examples/custom-providers/service-bus-provider.ts': {
    skip: 'a provider class, no stack of its own: custom-provider.ts synthesizes it (checked)',
  },
  'examples/global-routing/front-door.ts': {
    skip: 'a helper, no stack of its own: the blue-green and multi-region programs synthesize it (checked)',
  },
  'examples/order-processing/': {
    skip: "handler modules packaged into order-processing.ts's Function App (checked)",
  },
  'examples/clinic/src/': {
    skip: "the onChange handler packaged into clinic/backend.ts's Function App (checked)",
  },
  'examples/saas/project-stats.test.ts': {
    skip: "the example's own vitest file (the statistics handler as its callers, on startBackend): run by npm test",
  },
  'examples/saas/src/': {
    skip: "the statistics handler (dataOf) packaged into saas/backend.ts's Function App (checked)",
  },
  'examples/clinic/site/': {
    skip: 'site content uploaded by atakora deploy; clinic/backend.ts is checked',
  },
  'examples/teams/site/': {
    skip: 'site content uploaded by atakora deploy; teams/backend.ts is checked',
  },
  'examples/customers/site/': {
    skip: 'site content uploaded by atakora deploy; customers/backend.ts is checked',
  },
  'examples/team-notes/site/': {
    skip: 'site content uploaded by atakora deploy; team-notes/backend.ts is checked',
  },
  'examples/github-actions/deploy.yml': { skip: 'a GitHub Actions workflow, not a stack' },
  'examples/github-actions/plan-review.yml': { skip: 'a GitHub Actions workflow, not a stack' },
  'examples/github-actions/preview.yml': { skip: 'a GitHub Actions workflow, not a stack' },
};

/** Folder of the fixture entries: every `*.ts` there is synthesized with `atakora synth` (one stack per export). */
export const FIXTURE_DIR = 'test/terraform/fixtures';

/** One backend a fixture file exports, planned. */
export interface FixtureBackend {
  readonly file: string;
  readonly name: string;
  readonly config: NormalizedConfig;
  readonly plan: ResourcePlan;
}

/** Every backend the fixture files export, planned (what `npm run check:terraform` synthesizes and validates). */
export async function fixtureBackends(): Promise<FixtureBackend[]> {
  const root = resolve(import.meta.dirname, '../..');
  const out: FixtureBackend[] = [];
  for (const file of readdirSync(join(root, FIXTURE_DIR))
    .filter((f) => f.endsWith('.ts'))
    .sort()) {
    const mod = (await import(pathToFileURL(join(root, FIXTURE_DIR, file)).href)) as Record<
      string,
      unknown
    >;
    for (const [name, value] of Object.entries(mod)) {
      const b = value as { plan?: () => ResourcePlan; config?: NormalizedConfig };
      if (b && typeof b.plan === 'function' && b.config)
        out.push({ file, name, config: b.config, plan: b.plan() });
    }
  }
  return out;
}

/** A diagnostic the check expects from the providers, and why it is not a fault of ours. */
export interface ExpectedDiagnostic {
  /** Matched against the stack's label (`examples/basic.ts (cli) backend-prod`, `fixtures/sites.ts fxcdn-dev`). */
  readonly stack: RegExp;
  readonly severity: 'error' | 'warning';
  /** Matched against the diagnostic's summary and detail. */
  readonly message: RegExp;
  readonly reason: string;
}

/**
 * Diagnostics that do not fail the check. Keep it short: each entry is a refusal the providers would show a
 * user, so it needs a reason a reviewer accepts.
 */
export const EXPECTED_DIAGNOSTICS: readonly ExpectedDiagnostic[] = [];
