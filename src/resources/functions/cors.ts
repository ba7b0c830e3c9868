import type { NormalizedConfig } from '../../model/config.js';
import type { ResourcePlan } from '../../model/plan.js';

/**
 * The origins a Function App's CORS allows: the backend's own static sites (their planned endpoints), the
 * origins its components asked for, and `config.corsOrigins`. `'*'` appears only when configured (the plan
 * warns). Sorted and unique so the synthesized JSON is stable.
 *
 * @example
 * ```ts
 * const origins = corsOriginsFor(ctx.plan, ctx.config, resource.config.corsOrigins);
 * siteConfig: { ...(origins.length ? { cors: { allowedOrigins: origins } } : {}) }
 * ```
 */
export function corsOriginsFor(plan: ResourcePlan, config: NormalizedConfig, requested: readonly string[]): string[] {
  const out = new Set<string>();
  for (const o of [...requested, ...config.corsOrigins]) {
    const origin = toOrigin(o);
    if (origin) out.add(origin);
  }
  for (const c of plan.components) {
    for (const [key, value] of Object.entries(c.outputs)) {
      if ((key !== 'url' && key !== 'cdnEndpoint') || typeof value !== 'string') continue;
      if (!c.resources['staticsite'] && !c.resources['cdn']) continue;
      const origin = toOrigin(value);
      if (origin) out.add(origin);
    }
  }
  return [...out].sort();
}

/**
 * `https://host[:port][/]` → `https://host[:port]`. Kept as text, not parsed with `URL`: a site's host name is
 * known only at apply, so it is a Terraform expression (`https://${azurerm_static_web_app.x.default_host_name}`).
 */
function toOrigin(value: string): string | undefined {
  if (value === '*') return '*';
  return /^(https?:\/\/[^/\s]+)\/?$/.exec(value)?.[1];
}
