import type { PlannedComponent, PlannedResource, ResourcePlan } from '../../model/plan.js';
import {
  DEFAULT_SITE_CONFIG_FILE,
  type AtakoraDevSignIn,
  type AtakoraSiteConfig,
} from '../../model/site-config.js';
import { compare } from './resources/merge-strategies.js';
import { tfName } from './names/terraform-names.js';

/** Options of {@link siteConfigOf}. */
export interface SiteConfigOptions {
  /**
   * The base URL of a component's API where it is served, from its planned `apiEndpoint` (`atakora dev` gives
   * its local worker's origin). Default: the endpoint as planned.
   */
  readonly apiUrl?: (component: PlannedComponent, apiEndpoint: string) => string | undefined;
  /** `atakora dev`'s sign-in; when given, `auth` is left out (there is no Entra ID locally). */
  readonly dev?: AtakoraDevSignIn;
}

/**
 * The `atakora.config.json` of a site, built from the plan alone (pure): every component with an `apiEndpoint`
 * by key, and the site's sign-in settings when the stack creates its registration. Values the plan cannot know
 * are Terraform expressions (`${azuread_application.….client_id}`): apply writes this object as the Terraform
 * output `<backend>_<site key>_site_config`, which `terraform apply` resolves and `atakora deploy` uploads.
 *
 * @example
 * ```ts
 * const plan = defineBackend({
 *   notes: users,
 *   portal: StaticSite.define('Portal', { sourceDirectory: './portal' }),
 * }).plan();
 * siteConfigOf(plan, 'portal'); // { apis: { notes: 'https://func-…/api/notes' }, auth: { clientId, authority, scopes } }
 * ```
 */
export function siteConfigOf(
  plan: ResourcePlan,
  siteKey: string,
  options: SiteConfigOptions = {},
): AtakoraSiteConfig {
  const apis: Record<string, string> = {};
  for (const c of [...plan.components].sort((a, b) => compare(a.key, b.key))) {
    const endpoint = c.outputs['apiEndpoint'];
    if (typeof endpoint !== 'string' || endpoint === '') continue;
    const url = options.apiUrl ? options.apiUrl(c, endpoint) : endpoint;
    if (url !== undefined) apis[c.key] = url;
  }
  if (options.dev) return { apis, dev: { ...options.dev } };
  const site = plan.components.find((c) => c.key === siteKey);
  const auth = site?.outputs['auth'] as
    | { clientId?: unknown; tenantId?: unknown; scope?: unknown; authority?: unknown }
    | undefined;
  if (
    !auth ||
    typeof auth.clientId !== 'string' ||
    typeof auth.tenantId !== 'string' ||
    typeof auth.scope !== 'string'
  )
    return { apis };
  // The handle's authority: `organizations` for a multi-tenant backend (siteAuthority, kit/pure/entra.ts).
  const authority =
    typeof auth.authority === 'string'
      ? auth.authority
      : `https://login.microsoftonline.com/${auth.tenantId}`;
  return { apis, auth: { clientId: auth.clientId, authority, scopes: [auth.scope] } };
}

/**
 * The blob origins of the backend's FileStores (their `blobEndpoint` outputs, each read through `valueOf`: the
 * resolved Terraform output on deploy): what a site's CSP must let the page PUT to and read from.
 *
 * @example
 * ```ts
 * siteFileOrigins(plan, (c) => outputs[tfName(plan.backendId, c.key, 'blobEndpoint')]?.value);
 * // ['https://stnotesprod3kx9a1.blob.core.windows.net']
 * ```
 */
export function siteFileOrigins(
  plan: Pick<ResourcePlan, 'components'>,
  valueOf: (component: PlannedComponent) => unknown,
): string[] {
  const out = new Set<string>();
  for (const c of plan.components) {
    if (typeof c.outputs['blobEndpoint'] !== 'string') continue;
    const value = valueOf(c);
    const m = typeof value === 'string' ? /^(https:\/\/[^/\s$]+)/.exec(value) : null;
    const origin = m?.[1];
    if (origin) out.add(origin);
  }
  return [...out].sort(compare);
}

/**
 * The WebSocket origin of the backend's Web PubSub (`wss://<name>.webpubsub.azure.com`), the name read through
 * `nameOf` (deploy: the resource's `name` output, as Terraform resolved it): what a site's CSP `connect-src` needs
 * for realtime CrudApis. None without realtime, or while the name is unresolved.
 *
 * @example
 * ```ts
 * siteRealtimeOrigins(plan, (r) => outputs[tfName(plan.backendId, r.key, 'name')]?.value);
 * ```
 */
export function siteRealtimeOrigins(
  plan: Pick<ResourcePlan, 'resources'>,
  nameOf: (resource: PlannedResource) => unknown,
): string[] {
  const out = new Set<string>();
  for (const r of plan.resources) {
    if (r.type !== 'webpubsub') continue;
    const name = nameOf(r);
    if (typeof name === 'string' && /^[A-Za-z][A-Za-z0-9-]{1,61}[A-Za-z0-9]$/.test(name))
      out.add(`wss://${name.toLowerCase()}.webpubsub.azure.com`);
  }
  return [...out].sort(compare);
}

/**
 * The file a site's configuration is served under: its `configFileName`, else `atakora.config.json`.
 *
 * @example
 * ```ts
 * const plan = defineBackend({
 *   notes: users,
 *   portal: StaticSite.define('Portal', { sourceDirectory: './portal' }),
 * }).plan();
 * siteConfigFileName(plan.components.find((c) => c.key === 'portal')!); // 'atakora.config.json'
 * ```
 */
export function siteConfigFileName(site: Pick<PlannedComponent, 'outputs'>): string {
  const name = site.outputs['configFileName'];
  return typeof name === 'string' && name !== '' ? name : DEFAULT_SITE_CONFIG_FILE;
}

/** Whether a planned component is a static site (StaticSite or StaticSiteWithCdn). */
export function isSiteComponent(c: Pick<PlannedComponent, 'resources'>): boolean {
  return c.resources['staticsite'] !== undefined;
}

/**
 * The Terraform output apply writes a site's configuration to (JSON text, resolved by `terraform apply`).
 *
 * @example
 * ```ts
 * siteConfigOutputName('notes', 'portal'); // 'notes_portal_site_config'
 * ```
 */
export function siteConfigOutputName(backendId: string, siteKey: string): string {
  return tfName(backendId, siteKey, 'site_config');
}

/**
 * The Terraform outputs `atakora deploy` uploads a site with, besides its configuration: the Static Web App's
 * resource id (an object output `{ id }`, for Resource Manager's `listSecrets`) and its own URL
 * (`https://<default host name>`, which serves the content from the first apply, before any custom domain
 * validates). The logical name is the one `staticSiteTfNames` gives (`tfName(backendId, resource key)`).
 *
 * @example
 * ```ts
 * siteDeployOutputs('notes', plan.components.find((c) => c.key === 'web')!);
 * // { resource: { name: 'notes_web_site_resource', id: '${azurerm_static_web_app.notes_staticsite_teamnotesweb.id}' }, url: { … } }
 * ```
 */
export function siteDeployOutputs(
  backendId: string,
  site: Pick<PlannedComponent, 'key' | 'resources'>,
): { resource: { name: string; id: string }; url: { name: string; value: string } } {
  const swa = `azurerm_static_web_app.${tfName(backendId, site.resources['staticsite'] ?? '')}`;
  return {
    resource: { name: tfName(backendId, site.key, 'site_resource'), id: `\${${swa}.id}` },
    url: {
      name: tfName(backendId, site.key, 'site_url'),
      value: `https://\${${swa}.default_host_name}`,
    },
  };
}
