import { AtakoraError } from '../../model/errors.js';
import {
  deploysType,
  plannedResourceProviders,
} from '../../kit/pure/resources/resource-providers.js';
import { factsOf } from '../../resources/facts.js';
import type { SynthesizedStack } from '../entry/synth-stacks.js';
import { armEndpoint } from '../azure/endpoints.js';
import { firstLine } from '../azure/errors.js';
import { azureToken, graphToken, graphTokenIn } from '../azure/credentials.js';
import { registrationTenant } from '../../kit/pure/entra.js';
import { graphEndpoint } from '../azure/endpoints.js';
import { usersMayRegisterApps } from '../azure/graph.js';
import { listProviders, readSubscription, type ArmRead } from '../azure/subscriptions.js';
import type { AzureAnswer } from '../azure/http.js';
import { at } from '../../model/at.js';

/** What the preflight reads, injectable for tests (a stand-in ARM/Graph server on 127.0.0.1, fixed tokens). */
export interface PreflightOptions {
  readonly env?: NodeJS.ProcessEnv;
  readonly fetch?: typeof fetch;
  /** A Resource Manager token; default: `ATAKORA_ARM_TOKEN`, else the deployer's credential (arm-token.ts). */
  readonly azureToken?: () => Promise<string>;
  /**
   * A Microsoft Graph token of the tenant the registrations go to (undefined: the deployer's own); default:
   * `ATAKORA_GRAPH_TOKEN`, else the same credential for Graph in that tenant.
   */
  readonly graphToken?: (tenant: string | undefined) => Promise<string>;
  readonly log?: (line: string) => void;
}

/**
 * Entra directory roles that may create app registrations (Learn, "Microsoft Entra built-in
 * roles"), by template id.
 */
const APP_CREATOR_ROLES = new Set([
  '62e90394-69f5-4237-9190-012177145e10', // Global Administrator
  '9b895d92-2cd3-44c7-9d02-a6ac2d5ea5c3', // Application Administrator
  '158c047a-c907-4556-b7ef-446551a6b5f7', // Cloud Application Administrator
  'cf1c38e5-3621-4004-a7cb-879624dced7c', // Application Developer
]);
/**
 * Graph application permissions that let a service principal create registrations (Learn, Graph
 * permissions reference).
 */
const APP_CREATOR_PERMISSIONS = ['Application.ReadWrite.OwnedBy', 'Application.ReadWrite.All'];

const fail = (what: string, message: string, resolution: string, path: readonly string[] = []) =>
  new AtakoraError('DEPLOY_PREFLIGHT_FAILED', message, {
    path: [...path],
    resolution,
    details: { check: what },
  });

/**
 * What `atakora deploy` checks before any Terraform runs, one clear error per failure: a subscription id for
 * every stack; a Resource Manager token from the same credential chain deploy uses afterwards; that the
 * credential can read each subscription; that every resource provider the stacks need is registered or will
 * be (by azurerm's default set or the stack's `resource_providers_to_register`); and, where the stacks create
 * Entra registrations, that the deployer may create them (directory role or Graph permission in its token,
 * else the tenant's "users can register applications" setting).
 *
 * @example
 * ```ts
 * await preflight(stacks, { log: (l) => io.err(l + '\n') }); // throws DEPLOY_PREFLIGHT_FAILED before `terraform init`
 * ```
 */
export async function preflight(
  stacks: readonly SynthesizedStack[],
  options: PreflightOptions = {},
): Promise<void> {
  const env = options.env ?? process.env;
  const endpoint = armEndpoint(undefined, env);
  const subscriptions = stacks.flatMap((s) => (s.subscriptionId ? [s.subscriptionId] : []));
  const missing = stacks.filter((s) => !s.subscriptionId);
  if (missing.length) {
    throw fail(
      'subscription',
      `No subscription id for ${missing.map((s) => s.name).join(', ')}: Terraform would fail at init, and ` +
        `the global names would change once one is set.`,
      'Set ARM_SUBSCRIPTION_ID to the GUID `az account show --query id -o tsv` prints (or give ' +
        'ResourceGroupStack a subscriptionId), then run deploy again.',
      [at(missing, 0).name],
    );
  }
  let token: string;
  try {
    token = await (options.azureToken ?? (() => azureToken(endpoint, env)))();
  } catch (e) {
    throw fail(
      'credentials',
      `No Azure credentials: could not get a Resource Manager token (${firstLine(e)}).`,
      'Sign in with `az login`, or set ARM_TENANT_ID, ARM_CLIENT_ID and ARM_CLIENT_SECRET (or ' +
        "ARM_USE_OIDC=true in GitHub Actions), the variables Terraform's azurerm provider reads too.",
    );
  }
  const arm: ArmRead = { endpoint, token, ...(options.fetch ? { fetch: options.fetch } : {}) };
  const get = async (call: (r: ArmRead) => Promise<AzureAnswer>) => {
    try {
      const res = await call(arm);
      return { status: res.status, body: (res.json() ?? {}) as Record<string, unknown> };
    } catch (e) {
      throw fail(
        'network',
        `Could not reach ${new URL(endpoint).origin} (${firstLine(e)}).`,
        'Check the network (proxy, firewall) of this machine, then run deploy again.',
      );
    }
  };
  for (const sub of [...new Set(subscriptions)]) {
    const mine = stacks.filter((s) => s.subscriptionId === sub);
    const res = await get((r) => readSubscription(r, sub));
    if (res.status === 401)
      throw fail(
        'credentials',
        `The Azure credential was refused (HTTP 401) reading subscription ${sub}.`,
        "Sign in again (`az login`) or renew the service principal's secret, then run deploy again.",
        [at(mine, 0).name],
      );
    if (res.status === 403 || res.status === 404) {
      throw fail(
        'subscription',
        `Subscription ${sub} is not visible to this credential (HTTP ${res.status}).`,
        'Check ARM_SUBSCRIPTION_ID, and grant the deployer Contributor and User Access Administrator (or ' +
          'Owner) at subscription scope (docs/deploying.md#prerequisites).',
        [at(mine, 0).name],
      );
    }
    if (res.status >= 300)
      throw fail(
        'subscription',
        `Reading subscription ${sub} failed (HTTP ${res.status}).`,
        'Run deploy again; if it persists, check Azure status.',
        [at(mine, 0).name],
      );
    checkProviders(sub, mine, await get((r) => listProviders(r, sub)), options.log);
  }
  // Each directory the registrations go to: the deployer's own, or the one auth.tenantId or a customer sign-in
  // names (there the azuread provider signs in, so there the deployer must be allowed to register apps).
  const directories = new Set(
    stacks
      .filter((s) => deploysType(s.plan, 'azuread_application'))
      .map((s) => registrationTenant(s.plan)),
  );
  for (const tenant of directories) await checkDirectory(env, options, tenant);
}

function checkProviders(
  sub: string,
  stacks: readonly SynthesizedStack[],
  res: { status: number; body: Record<string, unknown> },
  log?: (line: string) => void,
): void {
  if (res.status >= 300)
    throw fail(
      'providers',
      `Reading the resource providers of subscription ${sub} failed (HTTP ${res.status}).`,
      'Grant the deployer Reader (at least) at subscription scope, then run deploy again.',
      [at(stacks, 0).name],
    );
  const state = new Map(
    ((res.body['value'] ?? []) as { namespace?: string; registrationState?: string }[]).map((p) => [
      String(p.namespace).toLowerCase(),
      p.registrationState,
    ]),
  );
  const unregistered: string[] = [];
  for (const s of stacks) {
    // The planned types' facts say which providers their resources live in and which azurerm registers itself.
    for (const {
      namespace: ns,
      registeredByAzurerm,
      registeredByStack,
    } of plannedResourceProviders(s.plan, factsOf)) {
      if (state.get(ns.toLowerCase()) === 'Registered') continue;
      if (registeredByAzurerm || registeredByStack)
        log?.(
          `${s.name}: resource provider ${ns} is not registered yet; the azurerm provider registers it`,
        );
      else unregistered.push(ns);
    }
  }
  if (unregistered.length) {
    const list = [...new Set(unregistered)].sort();
    throw fail(
      'providers',
      `Resource provider(s) ${list.join(', ')} are not registered in subscription ${sub}, and nothing in the ` +
        `stack registers them.`,
      `Register them: ${list.map((ns) => `az provider register --namespace ${ns}`).join('; ')} (then run deploy again).`,
      [at(stacks, 0).name],
    );
  }
}

async function checkDirectory(
  env: NodeJS.ProcessEnv,
  options: PreflightOptions,
  tenant: string | undefined,
): Promise<void> {
  const graph = graphEndpoint(env);
  const inTenant = tenant ? ` in tenant ${tenant}` : '';
  let token: string;
  try {
    token = await (options.graphToken ?? ((t) => (t ? graphTokenIn(env, t) : graphToken(env))))(
      tenant,
    );
  } catch (e) {
    throw fail(
      'directory',
      `The stacks create Entra ID app registrations${inTenant}, but no Microsoft Graph token could be had ` +
        `(${firstLine(e)}).`,
      `Sign in with an account (or service principal) of the tenant${tenant ? ` (az login --tenant ${tenant} --allow-no-subscriptions)` : ''}, or set auth: { clientId } to use an ` +
        'existing registration.',
    );
  }
  const claims = jwtClaims(token);
  const roles = (claims['roles'] ?? []) as string[];
  const wids = (claims['wids'] ?? []) as string[];
  if (
    roles.some((r) => APP_CREATOR_PERMISSIONS.includes(r)) ||
    wids.some((w) => APP_CREATOR_ROLES.has(w))
  )
    return;
  if (claims['idtyp'] !== 'app') {
    // A member user without a role may create registrations when the tenant allows it (the default).
    const allowed = await usersMayRegisterApps({
      graph,
      token,
      ...(options.fetch ? { fetch: options.fetch } : {}),
    });
    if (allowed !== false) return;
  }
  throw fail(
    'directory',
    `The stacks create Entra ID app registrations${inTenant}, but the deployer may not create them (no Application ` +
      'Developer or Application Administrator role, no Application.ReadWrite.OwnedBy permission, and the ' +
      'tenant does not let users register applications).',
    'Give the deployer the Application Developer role (a user) or the Microsoft Graph application permission ' +
      'Application.ReadWrite.OwnedBy with admin consent (a service principal), or set auth: { clientId } to an ' +
      'existing registration (docs/deploying.md#prerequisites).',
  );
}

/** The claims of a JWT (not verified: only to read what the token says about its holder). */
function jwtClaims(token: string): Record<string, unknown> {
  try {
    return JSON.parse(
      Buffer.from(token.split('.')[1] ?? '', 'base64url').toString('utf8'),
    ) as Record<string, unknown>;
  } catch {
    return {};
  }
}
