import { AtakoraError } from '../../model/errors.js';
import { checkKnownKeys, keysOf } from '../check-keys.js';
import type { StaticSiteConfig, StaticSiteWithCdnConfig } from './config.js';

/** The keys of {@link StaticSiteConfig} and {@link StaticSiteWithCdnConfig}; others are CONFIG_UNKNOWN_KEY. */
const SITE_KEYS = keysOf<StaticSiteConfig>()([
  'sourceDirectory',
  'buildCommand',
  'indexDocument',
  'errorDocument',
  'enableSpaMode',
  'sku',
  'customDomain',
  'priority',
  'outputDirectory',
  'configFileName',
  'configExportPath',
]);
const CDN_KEYS = keysOf<StaticSiteWithCdnConfig>()([
  ...(SITE_KEYS as readonly (keyof StaticSiteConfig)[]),
  'dnsZoneName',
  'dnsZoneResourceGroupName',
  'enableCompression',
  'cacheMaxAge',
  'cors',
  'waf',
]);
const CORS_KEYS = keysOf<NonNullable<StaticSiteWithCdnConfig['cors']>>()(['allowedOrigins']);

const DNS_NAME =
  /^(?=.{4,253}$)([a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?\.)+[a-z][a-z0-9-]{0,61}[a-z0-9]$/;
const DOCUMENT = /^[A-Za-z0-9_][A-Za-z0-9_./-]*\.[A-Za-z0-9]+$/;

export { checkComponentId } from '../component-id.js';

/**
 * Check a StaticSite config at `define` time. Throws an {@link AtakoraError} (`STATIC_SITE_INVALID`) with
 * the path of the bad field. `kind` names the component in messages.
 */
export function checkStaticSiteConfig(
  id: string,
  config: StaticSiteConfig,
  kind = 'StaticSite',
): void {
  const at = (...p: string[]) => ['components', id, 'config', ...p];
  if (config === undefined) return;
  if (!config || typeof config !== 'object' || Array.isArray(config)) {
    throw new AtakoraError('CONFIG_NOT_OBJECT', `${kind} ${id}: the config must be an object.`, {
      path: at(),
    });
  }
  checkKnownKeys(
    config,
    kind === 'StaticSiteWithCdn' ? CDN_KEYS : SITE_KEYS,
    at(),
    `${kind} ${id}`,
  );
  const bad = (field: string, why: string) =>
    new AtakoraError('STATIC_SITE_INVALID', `${kind} ${id}: ${field} ${why}.`, { path: at(field) });
  if (config.sku !== undefined && config.sku !== 'Free' && config.sku !== 'Standard')
    throw bad('sku', `${JSON.stringify(config.sku)} is not 'Free' or 'Standard'`);
  for (const f of ['indexDocument', 'errorDocument'] as const) {
    const v = config[f];
    if (v !== undefined && (typeof v !== 'string' || !DOCUMENT.test(v) || v.includes('..')))
      throw bad(f, `${JSON.stringify(v)} must be a relative file name such as "index.html"`);
  }
  for (const f of ['sourceDirectory', 'buildCommand', 'configExportPath'] as const) {
    const v = config[f];
    if (v !== undefined && (typeof v !== 'string' || v.trim() === ''))
      throw bad(f, 'must be a non-empty string');
  }
  checkSiteFiles(config, bad);
  if (config.enableSpaMode !== undefined && typeof config.enableSpaMode !== 'boolean')
    throw bad('enableSpaMode', 'must be a boolean');
  if (
    config.customDomain !== undefined &&
    (typeof config.customDomain !== 'string' || !DNS_NAME.test(config.customDomain))
  ) {
    throw bad(
      'customDomain',
      `${JSON.stringify(config.customDomain)} must be a lowercase DNS name such as "app.example.com"`,
    );
  }
  if (
    config.priority !== undefined &&
    (typeof config.priority !== 'number' || !Number.isFinite(config.priority))
  ) {
    throw new AtakoraError('CONFIG_INVALID', `${kind} ${id}: priority must be a number.`, {
      path: at('priority'),
    });
  }
}

/** Check the CDN part of a StaticSiteWithCdn config (after {@link checkStaticSiteConfig}). */
export function checkCdnConfig(id: string, config: StaticSiteWithCdnConfig): void {
  const at = (...p: string[]) => ['components', id, 'config', ...p];
  if (config === undefined) return;
  const { dnsZoneName, customDomain, cacheMaxAge, cors, enableCompression } = config;
  if (dnsZoneName !== undefined) {
    if (typeof dnsZoneName !== 'string' || !DNS_NAME.test(dnsZoneName)) {
      throw new AtakoraError(
        'STATIC_SITE_INVALID',
        `StaticSiteWithCdn ${id}: dnsZoneName ${JSON.stringify(dnsZoneName)} must be a DNS zone such as "example.com".`,
        { path: at('dnsZoneName') },
      );
    }
    if (!customDomain || !customDomain.endsWith(`.${dnsZoneName}`)) {
      throw new AtakoraError(
        'STATIC_SITE_INVALID',
        `StaticSiteWithCdn ${id}: customDomain ${JSON.stringify(customDomain)} must be a subdomain of ` +
          `dnsZoneName "${dnsZoneName}" (a zone apex cannot take a CNAME).`,
        { path: at('customDomain') },
      );
    }
  }
  if (
    config.dnsZoneResourceGroupName !== undefined &&
    (typeof config.dnsZoneResourceGroupName !== 'string' || dnsZoneName === undefined)
  ) {
    throw new AtakoraError(
      'STATIC_SITE_INVALID',
      `StaticSiteWithCdn ${id}: dnsZoneResourceGroupName needs dnsZoneName.`,
      { path: at('dnsZoneResourceGroupName') },
    );
  }
  if (config.waf !== undefined && typeof config.waf !== 'boolean') {
    throw new AtakoraError('CDN_INVALID', `StaticSiteWithCdn ${id}: waf must be a boolean.`, {
      path: at('waf'),
    });
  }
  if (enableCompression !== undefined && typeof enableCompression !== 'boolean') {
    throw new AtakoraError(
      'CDN_INVALID',
      `StaticSiteWithCdn ${id}: enableCompression must be a boolean.`,
      { path: at('enableCompression') },
    );
  }
  if (
    cacheMaxAge !== undefined &&
    (typeof cacheMaxAge !== 'number' ||
      !Number.isInteger(cacheMaxAge) ||
      cacheMaxAge < 0 ||
      cacheMaxAge > 31_536_000)
  ) {
    throw new AtakoraError(
      'CDN_INVALID',
      `StaticSiteWithCdn ${id}: cacheMaxAge ${JSON.stringify(cacheMaxAge)} must be whole seconds from 0 to 31536000.`,
      { path: at('cacheMaxAge') },
    );
  }
  if (cors !== undefined) {
    if (cors && typeof cors === 'object')
      checkKnownKeys(cors, CORS_KEYS, at('cors'), `StaticSiteWithCdn ${id}: cors`);
    const origins = cors && typeof cors === 'object' ? cors.allowedOrigins : undefined;
    if (
      !Array.isArray(origins) ||
      origins.some(
        (o) =>
          typeof o !== 'string' || (o !== '*' && !/^https?:\/\/[A-Za-z0-9.-]+(:\d+)?$/.test(o)),
      )
    ) {
      throw new AtakoraError(
        'CDN_INVALID',
        `StaticSiteWithCdn ${id}: cors.allowedOrigins ${JSON.stringify(origins)} must list "*" or origins ` +
          `such as "https://app.example.com".`,
        { path: at('cors', 'allowedOrigins') },
      );
    }
  }
}

/** `outputDirectory` (a relative folder, needs sourceDirectory) and `configFileName` (a file name at the root). */
function checkSiteFiles(
  config: StaticSiteConfig,
  bad: (field: string, why: string) => AtakoraError,
): void {
  const out = config.outputDirectory;
  if (out !== undefined) {
    if (
      typeof out !== 'string' ||
      out.trim() === '' ||
      /^([/\\]|[A-Za-z]:)/.test(out) ||
      out.split(/[/\\]/).includes('..')
    ) {
      throw bad(
        'outputDirectory',
        `${JSON.stringify(out)} must be a folder relative to sourceDirectory, such as "dist"`,
      );
    }
    if (config.sourceDirectory === undefined || config.buildCommand === undefined)
      throw bad(
        'outputDirectory',
        'needs sourceDirectory and buildCommand (it is where the build writes the content)',
      );
  }
  const name = config.configFileName;
  if (
    name !== undefined &&
    (typeof name !== 'string' ||
      !/^[A-Za-z0-9_][A-Za-z0-9_.-]*\.json$/.test(name) ||
      name === 'staticwebapp.config.json')
  ) {
    throw bad(
      'configFileName',
      `${JSON.stringify(name)} must be a file name ending in .json, such as "atakora.config.json"`,
    );
  }
}
