import type { NormalizedConfig } from '../../model/config.js';
import type { PlannedComponent, ResourcePlan } from '../../model/plan.js';

/**
 * The origins a Function App's CORS allows: every https origin the backend's own static sites are served
 * from and their sign-in registrations redirect to (the Static Web App host, the Front Door host, the custom
 * domain, and the https `auth.devOrigins`: a user who signs in on any of them must be able to call the API —
 * DESIGN §5 "Origins agree"), the origins its components asked for, and `config.corsOrigins`. `'*'` appears
 * only when configured (the plan warns). Sorted and unique so the synthesized JSON is stable.
 *
 * @example
 * ```ts
 * const origins = corsOriginsFor(ctx.plan, ctx.config, resource.config.corsOrigins);
 * siteConfig: { ...(origins.length ? { cors: { allowedOrigins: origins } } : {}) }
 * ```
 */
export function corsOriginsFor(
  plan: ResourcePlan,
  config: NormalizedConfig,
  requested: readonly string[],
): string[] {
  const out = new Set<string>();
  for (const o of [...requested, ...config.corsOrigins]) {
    const origin = toOrigin(o);
    if (origin) out.add(origin);
  }
  for (const c of plan.components) {
    if (!c.resources['staticsite'] && !c.resources['cdn']) continue;
    for (const value of siteOrigins(c)) {
      const origin = toOrigin(value);
      if (origin?.startsWith('https://')) out.add(origin);
    }
  }
  return [...out].sort();
}

/**
 * A site component's origins as its outputs give them: `url`, `cdnEndpoint`, `origins` and its registration's
 * `auth.redirectUris` (only https ones are kept by the caller: Entra takes http only for localhost, which
 * `atakora dev` answers).
 */
export function siteOrigins(component: Pick<PlannedComponent, 'outputs'>): string[] {
  const o = component.outputs;
  const strings = (v: unknown): string[] =>
    Array.isArray(v)
      ? v.filter((x): x is string => typeof x === 'string')
      : typeof v === 'string'
        ? [v]
        : [];
  const auth = o['auth'] as { redirectUris?: unknown } | undefined;
  return [
    ...strings(o['url']),
    ...strings(o['cdnEndpoint']),
    ...strings(o['origins']),
    ...strings(auth?.redirectUris),
  ].filter((v) => v !== '');
}

/**
 * `https://host[:port][/]` → `https://host[:port]`. Kept as text, not parsed with `URL`: a site's host name is
 * known only at apply, so it is a Terraform expression (`https://${azurerm_static_web_app.x.default_host_name}`).
 */
function toOrigin(value: string): string | undefined {
  if (value === '*') return '*';
  return /^(https?:\/\/[^/\s]+)\/?$/.exec(value)?.[1];
}
