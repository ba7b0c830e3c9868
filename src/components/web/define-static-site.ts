import { builtInDefinition } from '../../kit/pure/component-definition.js';
import type { ComponentDefinition } from '../../model/component.js';
import type { ResourceRequirement } from '../../model/requirements.js';
import type {
  SiteSourceCheck,
  StaticSiteRequirementConfig,
} from '../../resources/staticsite/type.js';
import { checkSiteSource } from './site-source.js';
import type { StaticSiteConfig } from './config.js';
import type { StaticSiteHandle } from './handle.js';
import { checkComponentId, checkStaticSiteConfig } from './normalize.js';
import { siteOutputs } from './site-outputs.js';

/**
 * A StaticSite definition; `TId` is the literal id so builder keys are typed.
 *
 * @example
 * ```ts
 * const admin: StaticSiteDefinition<'AdminPortal'> = StaticSite.define('AdminPortal', { sourceDirectory: './admin' });
 * ```
 */
export type StaticSiteDefinition<TId extends string = string> = ComponentDefinition<
  TId,
  'StaticSite',
  StaticSiteConfig,
  StaticSiteHandle & { readonly componentType: 'StaticSite' }
>;

/** The `staticsite` requirement of a site; `withDomain` false when a CDN serves the custom domain. */
export function staticSiteRequirement(
  id: string,
  config: StaticSiteConfig,
  priority: number,
  withDomain: boolean,
): ResourceRequirement {
  const c: StaticSiteRequirementConfig = {
    ...(config.sku ? { sku: config.sku } : {}),
    ...(withDomain && config.customDomain ? { customDomain: config.customDomain } : {}),
    ...(config.indexDocument ? { indexDocument: config.indexDocument } : {}),
    ...(config.errorDocument ? { errorDocument: config.errorDocument } : {}),
    ...(config.enableSpaMode ? { enableSpaMode: true } : {}),
    ...(config.sourceDirectory ? { sourceDirectory: config.sourceDirectory } : {}),
    ...(config.buildCommand ? { buildCommand: config.buildCommand } : {}),
    ...(config.outputDirectory ? { outputDirectory: config.outputDirectory } : {}),
    ...(config.configFileName ? { configFileName: config.configFileName } : {}),
    ...(config.configExportPath ? { configExportPath: config.configExportPath } : {}),
    // define looks at the folder once, so the pure planner can report a missing or empty one (SITE_SOURCE_INVALID).
    ...withSourceCheck(checkSiteSource(config)),
  };
  return {
    resourceType: 'staticsite',
    requirementKey: `${id}-staticsite`,
    priority,
    config: c as Record<string, unknown>,
  };
}

function withSourceCheck(check: SiteSourceCheck | undefined): { sourceCheck?: SiteSourceCheck } {
  return check ? { sourceCheck: check } : {};
}

/**
 * Define a StaticSite (phase 1: nothing is created): an Azure Static Web App of its own — static sites are
 * never shared — named from the component id, so the name holds when other components change.
 *
 * @example
 * ```ts
 * const adminPortal = defineStaticSite('AdminPortal', { sourceDirectory: './admin', buildCommand: 'npm run build' });
 * ```
 */
export function defineStaticSite<const TId extends string>(
  id: TId,
  config: StaticSiteConfig = {},
): StaticSiteDefinition<TId> {
  checkComponentId(id);
  checkStaticSiteConfig(id, config);
  const priority = config.priority ?? 10;
  const requirements = [staticSiteRequirement(id, config, priority, true)];
  return builtInDefinition<StaticSiteDefinition<TId>>({
    componentId: id,
    componentType: 'StaticSite' as const,
    config,
    priority,
    requirements,
    outputs: (ctx) => siteOutputs(ctx),
  });
}
