import type { PlannedComponent, ResourcePlan } from '../../../model/plan.js';

// Where each component's API is served locally: the URLs a site's atakora.config.json names and a test's typed
// client takes (sites.ts, testing/start-backend.ts through the session's `endpoints`).

type ServedApp = { readonly name: string; readonly url: string };

/** The local app serving a component's planned Function App, if one runs. */
function servedAppOf(
  plan: ResourcePlan,
  apps: readonly ServedApp[],
  c: PlannedComponent,
): ServedApp | undefined {
  const app = plan.resources.find((r) => r.key === c.resources['functions']);
  return apps.find((a) => a.name === app?.name);
}

/**
 * A component's API base URL on the local app that serves its planned Function App (its path as planned).
 *
 * @example
 * ```ts
 * siteConfigOf(plan, 'portal', { apiUrl: servedApiUrl(plan, session.apps) }).apis; // { notes: 'http://127.0.0.1:7071/api/notes' }
 * ```
 */
export function servedApiUrl(
  plan: ResourcePlan,
  apps: readonly ServedApp[],
): (c: PlannedComponent, endpoint: string) => string | undefined {
  return (c, endpoint) => {
    const served = servedAppOf(plan, apps, c);
    return served ? `${served.url}${new URL(endpoint).pathname}` : undefined;
  };
}

/**
 * Every component with an API by key, as served now: the `apis` given (a CrudApi's or FileStore's route) and each
 * FunctionsApp's app origin.
 *
 * @example
 * ```ts
 * servedEndpoints(plan, session.apps, { notes: 'http://127.0.0.1:7071/api/notes' });
 * // { notes: 'http://127.0.0.1:7071/api/notes', reports: 'http://127.0.0.1:7071' }
 * ```
 */
export function servedEndpoints(
  plan: ResourcePlan,
  apps: readonly ServedApp[],
  apis: Readonly<Record<string, string>>,
): Record<string, string> {
  const out: Record<string, string> = { ...apis };
  for (const c of plan.components) {
    const app = c.type === 'FunctionsApp' ? servedAppOf(plan, apps, c) : undefined;
    if (app) out[c.key] = app.url;
  }
  return out;
}
