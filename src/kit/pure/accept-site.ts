import type { NormalizedConfig } from '../../model/config.js';
import type { PlannedComponent, PlanIssue } from '../../model/plan.js';
import { compare } from './resources/merge-strategies.js';
import { isSiteComponent } from './site-config.js';

/**
 * Where a membership backend's invitation links lead: `url` the page (`tenants.acceptUrl`, else the chosen site's
 * URL, a Terraform expression until apply), `site` the key of the StaticSite that serves it (the one dev serves
 * locally), or the plan's error when `tenants.site` names no site or several sites leave the choice open.
 */
export type AcceptSite =
  | { readonly url?: string; readonly site?: string; readonly issue?: undefined }
  | { readonly url?: undefined; readonly site?: undefined; readonly issue: PlanIssue };

/**
 * The landing page of invitation links (DESIGN §2, "Invitations that arrive"): `tenants.acceptUrl` when given,
 * else the one StaticSite of the backend (`tenants.site` naming it among several). Nothing when the backend has no
 * site and no `acceptUrl` (the runtime then trusts only an `Origin` among the app's sites).
 *
 * @example
 * ```ts
 * acceptSiteOf(plan.components, config); // { url: 'https://${azurerm_static_web_app….default_host_name}', site: 'web' }
 * ```
 */
export function acceptSiteOf(
  components: readonly Pick<PlannedComponent, 'key' | 'resources' | 'outputs'>[],
  config: Pick<NormalizedConfig, 'tenants'>,
): AcceptSite {
  const membership = config.tenants?.membership;
  if (!membership) return {};
  const sites = components.filter(isSiteComponent);
  const keys = sites.map((c) => c.key).sort(compare);
  const given = membership.acceptUrl;
  if (membership.site !== undefined) {
    const named = sites.find((c) => c.key === membership.site);
    if (!named) return { issue: unknownSite(membership.site, keys) };
    return { url: given ?? urlOf(named), site: named.key };
  }
  if (given !== undefined) return { url: given, ...(sites.length === 1 ? { site: keys[0] } : {}) };
  if (sites.length === 0) return {};
  if (sites.length > 1) return { issue: ambiguousSite(keys) };
  const [only] = sites;
  return only ? { url: urlOf(only), site: only.key } : {};
}

const urlOf = (c: Pick<PlannedComponent, 'outputs'>): string => {
  const url = c.outputs['url'];
  return typeof url === 'string' ? url.replace(/\/$/, '') : '';
};

const unknownSite = (site: string, keys: readonly string[]): PlanIssue => ({
  severity: 'error',
  code: 'TENANTS_SITE_UNKNOWN',
  path: ['config', 'tenants', 'site'],
  message:
    `tenants.site "${site}" names no StaticSite of this backend` +
    (keys.length ? ` (its sites: ${keys.join(', ')})` : ' (it has none)') +
    ': invitation links would lead nowhere.',
  resolution: keys.length
    ? `Name one of ${keys.join(', ')}, or give tenants.acceptUrl and leave site out.`
    : 'Add the StaticSite to defineBackend, or give tenants.acceptUrl and leave site out.',
});

const ambiguousSite = (keys: readonly string[]): PlanIssue => ({
  severity: 'error',
  code: 'TENANTS_SITE_AMBIGUOUS',
  path: ['config', 'tenants', 'site'],
  message:
    `This membership backend has ${String(keys.length)} StaticSites (${keys.join(', ')}) and neither ` +
    'tenants.site nor tenants.acceptUrl: which one an invitation link opens is left open.',
  resolution: `Write tenants.site: '${keys[0] ?? ''}' (the site with the landing page), or tenants.acceptUrl.`,
});
