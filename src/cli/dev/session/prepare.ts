import type { Backend } from '../../../backend/backend.js';
import { acceptSiteOf } from '../../../kit/pure/accept-site.js';
import { PlanError } from '../../../model/errors.js';
import type { ResourcePlan } from '../../../model/plan.js';
import type { NormalizedConfig } from '../../../model/config.js';
import { loadFirstBackend } from '../../shared/environment-option.js';
import { recordingReads } from '../../shared/recorded-reads.js';
import { prepareApp, servedApps, type PreparedApp, type SecretReport } from '../host/apps.js';
import { startDevSeeder } from '../seed/seed.js';
import { refuseUnadmittedUser } from './admitted-user.js';
import type { DevRun } from './run.js';
import { reloadSchemaWarnings } from './schema-watch.js';
import type { StandIns } from './stand-ins.js';
import { watchedFiles } from './watch.js';

/** A load prepared: the apps ready to start and what the session reads from the load. */
export interface PreparedLoad {
  readonly ready: PreparedApp[];
  readonly watched: string[];
  readonly origins: string[];
  readonly tenantClaim: string;
  readonly auth: boolean;
  /** Tenants by membership: `--user alice@example.com` is a user with that verified email. */
  readonly emailUsers: boolean | string;
  readonly secrets: SecretReport;
  /** Tenants by membership: the dev site invitation links open (the one `tenants.site` or the only site names). */
  readonly acceptUrl?: string;
}

/**
 * Everything up to starting the workers, which can fail without touching what runs now: load the entry (the
 * files it reads as it loads are watched too: shared/recorded-reads.ts), plan it, say at once what `atakora
 * deploy` would refuse of a schema change (schema-watch.ts), update the sites, start the local services the plan
 * needs, build each app's package, and seed.
 *
 * @example
 * ```ts
 * const load = await prepareLoad(run, standIns);
 * ```
 */
export async function prepareLoad(run: DevRun, standIns: StandIns): Promise<PreparedLoad> {
  run.progress(`Loading ${run.entry}`);
  const { value: backend, files: read } = await recordingReads(
    () => loadFirstBackend(run.entry, run.environment),
    process.cwd(),
  );
  const plan = backend.plan();
  if (plan.issues.some((i) => i.severity === 'error')) throw new PlanError(plan.issues);
  guardSchema(run, plan);
  const declared = backend.config;
  const config =
    run.limits === 'as-configured'
      ? declared
      : withoutTenantBounds(declared, run.limits === 'features');
  // Before the sites, the storage and the seed: a user every request would refuse is said at once.
  refuseUnadmittedUser(run.user, config);
  // The sites first: their origins join the API's dev CORS.
  const siteOrigins = await run.siteHost.update(plan);
  // Invitation links open dev's own copy of the site, as they open the deployed one in Azure.
  const acceptSite = acceptSiteOf(plan.components, config).site;
  const acceptUrl = run.siteHost.sites.find((s) => s.key === acceptSite)?.url;
  const planned = servedApps(plan);
  await standIns.services.ensure(planned);
  await run.hub.ensure(planned);
  run.generation += 1;
  const { ready, handlers, secrets } = await prepareApps(run, standIns, plan, config, planned);
  await seed(run, standIns, backend, plan);
  const origins = [
    ...new Set([...config.auth.devOrigins, ...config.corsOrigins, ...siteOrigins]),
  ].sort();
  // The browser PUTs and GETs the SAS URLs straight from the dev origins, as from the sites in Azure.
  await standIns.services.blobs?.cors(origins);
  return {
    ready,
    watched: watchedFiles(run.entry, handlers, read, secrets),
    origins,
    tenantClaim: config.tenancy.claim,
    auth: config.auth.enabled,
    // A customer sign-in's users are of its external tenant, as their tokens say in Azure.
    emailUsers:
      config.tenants?.membership === undefined ? false : (config.auth.customers?.tenantId ?? true),
    secrets,
    ...(acceptUrl ? { acceptUrl } : {}),
  };
}

/** Warn of a schema change deploy would refuse; the plan the local data is read under moves on only without. */
function guardSchema(run: DevRun, plan: ResourcePlan): void {
  const warnings = run.dataPlan ? reloadSchemaWarnings(run.dataPlan, plan) : [];
  for (const w of warnings) run.log(w);
  if (warnings.length === 0) run.dataPlan = plan;
}

/** Build and unpack each served app's package with its settings. */
async function prepareApps(
  run: DevRun,
  standIns: StandIns,
  plan: ResourcePlan,
  config: NormalizedConfig,
  planned: ReturnType<typeof servedApps>,
): Promise<{ ready: PreparedApp[]; handlers: string[]; secrets: SecretReport }> {
  const ready: PreparedApp[] = [];
  const handlers: string[] = [];
  const secrets: SecretReport = { fromEnvironment: [], fromFile: [], missing: [] };
  for (const app of planned) {
    const prepared = await prepareApp(app, {
      plan,
      config,
      user: run.user,
      storage: standIns.services,
      realtimeHub: run.hub.running,
      work: standIns.work,
      generation: run.generation,
      progress: run.progress,
      secrets,
      handlers,
      built: run.builtPackages,
      env: run.env,
    });
    if (prepared) ready.push(prepared);
  }
  return { ready, handlers, secrets };
}

/**
 * Seeds go into each tenant's empty views: the user's before the API serves, others' at their first sign-in
 * (seed/seed.ts).
 */
async function seed(
  run: DevRun,
  standIns: StandIns,
  backend: Backend,
  plan: ResourcePlan,
): Promise<void> {
  const cosmos = standIns.services.cosmos;
  if (cosmos && !run.seeder) {
    const started = await startDevSeeder(cosmos.client, run.log);
    run.seeder = started;
    run.cleanup.push(() => started.stop());
  }
  run.seeder?.update(backend, plan);
  if (run.generation === 1 && run.seeder)
    for (const line of await run.seeder.seedTenant(run.user)) run.log(line);
}

/**
 * The config with every plan unbounded and no per-user bound (DevOptions.limits `lifted`); with `features`, each plan
 * keeps the features it lists (verify's per-plan proof: a feature is what a plan includes, not a bound on how much).
 */
function withoutTenantBounds(config: NormalizedConfig, features: boolean): NormalizedConfig {
  const tenants = config.tenants;
  if (!tenants) return config;
  const { perUser: _perUser, ...rest } = tenants;
  const kept = (name: string) => {
    const listed = features ? tenants.plans[name]?.features : undefined;
    return listed === undefined ? {} : { features: listed };
  };
  return {
    ...config,
    tenants: {
      ...rest,
      plans: Object.fromEntries(Object.keys(tenants.plans).map((p) => [p, kept(p)])),
    },
  };
}
