import type { Backend } from '../../../backend/backend.js';
import type { NormalizedConfig, NormalizedCustomers } from '../../../model/config.js';
import type { ResourcePlan } from '../../../model/plan.js';
import { AtakoraError } from '../../../model/errors.js';
import { plannedRegistrations, type PlannedRegistration } from '../../../kit/pure/entra.js';
import { graphEndpoint } from '../../azure/endpoints.js';
import { graphTokenIn } from '../../azure/credentials.js';
import { firstLine } from '../../azure/errors.js';
import { deployedPlan } from '../secrets/secret-target.js';
import { graphList, type GraphSession } from '../../azure/external-id/graph-session.js';
import {
  ensureSocialProviders,
  type SetupChange,
} from '../../azure/external-id/identity-providers.js';
import { socialWanted } from './social-client-ids.js';
import {
  EMAIL_PROVIDERS,
  ensureUserFlow,
  type FlowApplication,
} from '../../azure/external-id/user-flow.js';

/** Options of {@link authSetup}. */
export interface AuthSetupOptions {
  /** Where tokens, endpoints and client ids (GOOGLE_CLIENT_ID, FACEBOOK_APP_ID) are read. */
  readonly env: NodeJS.ProcessEnv;
  /** The deployment target's resource group (default `rg-<stack>`): it names the vault. */
  readonly resourceGroup?: string | undefined;
  /** Send the vault's social secrets again even where the client id is unchanged (after a rotation). */
  readonly rotateSecrets?: boolean;
  /** One line of what was done (no secret ever reaches it). */
  readonly out: (line: string) => void;
  /** Another fetch for Graph (tests). */
  readonly fetch?: typeof fetch;
}

/**
 * The user flow's display name (it is found by it on the next run): `<backendId>-<environment>-sign-in`.
 *
 * @example
 * ```ts
 * userFlowName('shop', 'prod'); // 'shop-prod-sign-in'
 * ```
 */
export function userFlowName(backendId: string, environment: string): string {
  return `${backendId}-${environment}-sign-in`;
}

/**
 * What Terraform cannot declare of a customer sign-in, made in its external tenant through Microsoft Graph v1.0:
 * the social identity providers with their secrets from the environment's Key Vault, the sign-up and sign-in user
 * flow with the email method and those providers, and the stack's registrations (found by display name) linked to
 * it. Idempotent: everything is found first and only what differs is written, so a second run changes nothing.
 * Everything that can be checked without writing (client ids, the registrations) is checked before the first
 * write. Prints each change; never a secret.
 *
 * @example
 * ```ts
 * const { changed } = await authSetup(backend, { env: process.env, out: (l) => console.log(l) });
 * ```
 */
export async function authSetup(
  backend: Backend,
  o: AuthSetupOptions,
): Promise<{ changed: number; changes: SetupChange[] }> {
  const { plan, stack } = deployedPlan(backend, o.resourceGroup);
  return authSetupOf({ config: backend.config, plan, stack }, o);
}

/** A backend as deployed: its config and its plan with the deployed names (the vault's). */
export interface AuthSetupTarget {
  readonly config: NormalizedConfig;
  readonly plan: ResourcePlan;
  readonly stack: string;
}

/**
 * {@link authSetup} of a stack already planned with its deployed names (`atakora deploy` after apply).
 *
 * @example
 * ```ts
 * await authSetupOf({ config: backend.config, plan: stack.plan, stack: stack.name }, { env: process.env, out });
 * ```
 */
export async function authSetupOf(
  { config, plan, stack }: AuthSetupTarget,
  o: AuthSetupOptions,
): Promise<{ changed: number; changes: SetupChange[] }> {
  const customers = config.auth.customers;
  if (!customers)
    throw new AtakoraError(
      'AUTH_SETUP_NOT_CUSTOMERS',
      `${config.backendId} signs in workforce accounts (auth.signInAudience is ` +
        `${config.auth.signInAudience}): there is no customer sign-in to set up.`,
      {
        path: ['config', 'auth', 'signInAudience'],
        resolution:
          "Write auth: { signInAudience: 'customers', externalTenant: { id, subdomain } } to sign customers in " +
          'through Microsoft Entra External ID (docs/sign-in.md#customers); workforce sign-in needs no setup.',
      },
    );
  const social = await socialWanted(customers, o.env, plan);
  const session: GraphSession = {
    graph: graphEndpoint(o.env),
    token: await tokenFor(customers, o.env),
    tenant: customers.tenantId,
    redact: [],
    ...(o.fetch ? { fetch: o.fetch } : {}),
  };
  o.out(`auth setup ${stack}: external tenant ${customers.subdomain} (${customers.tenantId})`);
  const applications = await findApplications(session, plannedRegistrations(plan), config);
  const providers = await ensureSocialProviders(session, social, o.rotateSecrets === true);
  const flow = await ensureUserFlow(session, {
    displayName: userFlowName(plan.backendId, plan.environment),
    providerIds: [EMAIL_PROVIDERS[customers.emailSignIn], ...providers.ids],
    applications,
  });
  const changes = [...providers.changes, ...flow];
  for (const c of changes) o.out(`  ${c.subject}: ${c.action}${c.detail ? ` (${c.detail})` : ''}`);
  const changed = changes.filter((c) => c.action !== 'unchanged').length;
  o.out(
    changed === 0
      ? `Nothing to change: the external tenant is as ${stack} declares it.`
      : `${String(changed)} change(s) made in the external tenant.`,
  );
  return { changed, changes };
}

async function tokenFor(customers: NormalizedCustomers, env: NodeJS.ProcessEnv): Promise<string> {
  try {
    return await graphTokenIn(env, customers.tenantId);
  } catch (e) {
    throw new AtakoraError(
      'AUTH_SETUP_FAILED',
      `No Microsoft Graph token for the external tenant ${customers.tenantId}: ${firstLine(e)}.`,
      {
        path: ['auth', 'setup', 'token'],
        resolution:
          `Sign in to the external tenant (az login --tenant ${customers.tenantId} --allow-no-subscriptions), or ` +
          'set ARM_CLIENT_ID / ARM_CLIENT_SECRET of a service principal consented there, then run atakora auth ' +
          'setup again (docs/sign-in.md#customers).',
      },
    );
  }
}

/**
 * The application (client) id of each registration the stack created in the external tenant, found by its display
 * name (Graph v1.0 "List applications", `GET /applications?$filter=displayName eq '…'`,
 * https://learn.microsoft.com/graph/api/application-list); with `auth.clientId`, that registration.
 */
async function findApplications(
  session: GraphSession,
  registrations: readonly PlannedRegistration[],
  config: NormalizedConfig,
): Promise<FlowApplication[]> {
  const own = config.auth.clientId;
  if (own) return [{ displayName: 'auth.clientId', appId: own }];
  if (registrations.length === 0)
    throw new AtakoraError(
      'AUTH_SETUP_APP_NOT_FOUND',
      `${config.backendId} creates no app registration (auth.appRegistration: false) and names none ` +
        '(auth.clientId): there is no application to link to the user flow.',
      {
        path: ['config', 'auth'],
        resolution:
          "Name your own registration's client id in auth.clientId, or let the stack create one.",
      },
    );
  const out: FlowApplication[] = [];
  for (const r of registrations) {
    const name = r.displayName.replace(/'/g, "''");
    const found = (
      await graphList<{ appId?: string; displayName?: string }>(session, {
        path: `/applications?$filter=${encodeURIComponent(`displayName eq '${name}'`)}&$select=id,appId,displayName`,
        what: `finding the app registration ${r.displayName}`,
        area: 'applications',
      })
    ).filter((a) => a.displayName === r.displayName && a.appId);
    const [app] = found;
    if (found.length !== 1 || !app?.appId)
      throw new AtakoraError(
        found.length === 0 ? 'AUTH_SETUP_APP_NOT_FOUND' : 'AUTH_SETUP_CONFLICT',
        found.length === 0
          ? `The external tenant ${session.tenant} has no app registration named ${r.displayName}: the stack ` +
              'creates it when it is deployed.'
          : `The external tenant ${session.tenant} has ${String(found.length)} app registrations named ` +
              `${r.displayName}: auth setup cannot tell which is the stack's.`,
        {
          path: ['auth', 'setup', 'applications', r.displayName],
          resolution:
            found.length === 0
              ? 'Deploy first (atakora deploy <entry> --environment <env>: it runs auth setup after apply).'
              : 'Delete or rename the registrations the stack did not create (Entra admin center → App ' +
                'registrations), then run atakora auth setup again.',
        },
      );
    out.push({ displayName: r.displayName, appId: app.appId });
  }
  return out;
}
