import type { NormalizedConfig, RealtimeSku } from '../../model/config.js';
import type { PlanIssue, PlannedDeploy } from '../../model/plan.js';
import { REALTIME_HUB } from '../../model/runtime-manifest.js';
import { defineResourceType } from '../../kit/pure/resources/resource-type.js';
import { compare } from '../../kit/pure/resources/merge-strategies.js';
import { HOURS_PER_MONTH, roundUsd } from '../../kit/pure/resources/prices.js';
import { tfName } from '../../kit/pure/names/terraform-names.js';
import { admissionPolicy } from '../../kit/pure/tenant-registry.js';
import { connectionEventsOf } from './event-handler.js';
import { WEBPUBSUB_LIMITS, WEBPUBSUB_PRICES, webPubSubFacts } from './facts.js';

/**
 * Config of a `webpubsub` requirement: nothing to choose per component. A CrudApi with `realtime: true` asks for
 * the backend's one Web PubSub; its tier and units come from the backend's `realtime` config.
 *
 * @example
 * ```ts
 * const req = { resourceType: 'webpubsub', requirementKey: 'NoteApi-webpubsub', config: {} };
 * ```
 */
export type WebPubSubRequirementConfig = Readonly<Record<string, never>>;

/** The merged `webpubsub` config in the plan. */
export interface MergedWebPubSubConfig {
  sku: RealtimeSku;
  /** azurerm `capacity`. */
  units: number;
  /** The one hub every realtime CrudApi publishes to. */
  hub: string;
  /** Components whose identity publishes and mints client tokens (Web PubSub Service Owner), sorted. */
  publishers: string[];
  /** `https://<name>.webpubsub.azure.com`: what the runtime calls. */
  endpoint: string;
  /** Concurrent connections the units hold. */
  maxConnections: number;
  /** Messages a day the units include (Free: a hard cap; Standard/Premium: more are billed per million). */
  includedMessagesPerDay: number;
  /** USD per million messages beyond the included ones (0 on Free, which stops instead). */
  pricePerMillionMessages: number;
  /**
   * Isolated networking: the service's REST API and server connections only through its private endpoint, while
   * browsers still connect over the internet with their tokens (network ACL).
   */
  privateServerAccess: boolean;
  /**
   * Whether the hub posts each connection's connect/connected/disconnected to the runtime, which counts live
   * connections and refuses connects over the plans' bounds (event-handler.ts).
   */
  connectionEvents: boolean;
  /** Why a backend with a tenant registry gets no connection events (its connection bounds then never refuse). */
  connectionEventsOff?: string;
}

/** The built-in role that lets an identity publish and mint client tokens on a Web PubSub (Learn, "Authorize … with Microsoft Entra ID"). */
export const WEBPUBSUB_SERVICE_OWNER = 'Web PubSub Service Owner';

/**
 * Terraform logical names of a Web PubSub's parts: the plan's `deploys` and apply's ids both come from here.
 *
 * @example
 * ```ts
 * webPubSubNames('backend_webpubsub_shared').hub; // 'backend_webpubsub_shared_hub'
 * ```
 */
export function webPubSubNames(base: string): {
  service: string;
  hub: string;
  acl: string;
  grant: (componentId: string) => string;
} {
  return {
    service: base,
    hub: tfName(base, 'hub'),
    acl: tfName(base, 'acl'),
    grant: (componentId) => tfName(base, 'ra', componentId),
  };
}

const isolated = (config: NormalizedConfig) =>
  config.networking.mode === 'isolated' && config.networking.privateEndpoints;

/**
 * Azure Web PubSub for live data: one service and one hub per backend, Entra ID only (local auth off), each
 * realtime CrudApi's identity holding Web PubSub Service Owner to publish and mint client tokens. Isolated
 * networking puts the REST API behind a private endpoint (Standard or Premium: Free is raised, with a warning).
 */
export const webPubSubType = defineResourceType<
  WebPubSubRequirementConfig,
  MergedWebPubSubConfig
>()({
  type: 'webpubsub',
  namePrefix: 'wps',
  facts: webPubSubFacts,
  attributes: {
    name: (n) => n,
    hostname: (n) => `${n}.webpubsub.azure.com`,
    endpoint: (n) => `https://${n}.webpubsub.azure.com`,
  },
  compatibility: () => ({ key: 'default', isDefault: true }),
  merge(reqs, config, planned) {
    const issues: PlanIssue[] = [];
    const ids = [...new Set(reqs.map((r) => r.componentId))].sort(compare);
    let { sku } = config.realtime;
    const { units } = config.realtime;
    if (sku === 'Free_F1' && units !== 1) {
      issues.push({
        severity: 'error',
        code: 'REALTIME_INVALID',
        path: ['config', 'realtime', 'units'],
        components: ids,
        message: `The Free_F1 Web PubSub tier has exactly one unit (got units: ${String(units)}).`,
        resolution: "Leave units out, or choose sku: 'Standard_S1' for more connections.",
      });
    }
    if (isolated(config) && sku === 'Free_F1') {
      issues.push({
        severity: 'warning',
        code: 'REALTIME_TIER_RAISED',
        path: ['config', 'realtime', 'sku'],
        components: ids,
        details: { requestedSku: sku },
        message:
          'networking is isolated with private endpoints, which Web PubSub offers on Standard and Premium only: the ' +
          `service is planned as Standard_S1 (about $${String(monthly('Standard_S1', units))}/month) instead of Free_F1.`,
        resolution:
          "Write realtime: { sku: 'Standard_S1' } to make it explicit, or use networking: 'public' for a free " +
          'development service.',
      });
      sku = 'Standard_S1';
    }
    const limits = WEBPUBSUB_LIMITS[sku];
    if (sku === 'Free_F1' && (config.environment === 'prod' || isMultiTenant(config))) {
      issues.push({
        severity: 'warning',
        code: 'REALTIME_FREE_TIER',
        path: ['config', 'realtime', 'sku'],
        components: ids,
        message:
          `The Web PubSub is Free_F1 ${config.environment === 'prod' ? "in 'prod'" : 'for users of many directories'}: ` +
          `${String(limits.connectionsPerUnit)} concurrent connections for every user of every realtime CrudApi ` +
          `(${ids.join(', ')}), and after ${limits.messagesPerUnitDay.toLocaleString('en-US')} messages a day ` +
          'nothing more is delivered until the next day; no SLA.',
        resolution:
          "Choose realtime: { sku: 'Standard_S1' } (1,000 connections and 1,000,000 messages a day per unit, about " +
          `$${String(monthly('Standard_S1', 1))}/month a unit).`,
      });
    }
    const name = planned ?? 'webpubsub';
    const merged: MergedWebPubSubConfig = {
      sku,
      units: sku === 'Free_F1' ? 1 : units,
      hub: REALTIME_HUB,
      publishers: ids,
      endpoint: `https://${name}.webpubsub.azure.com`,
      maxConnections: limits.connectionsPerUnit * (sku === 'Free_F1' ? 1 : units),
      includedMessagesPerDay: limits.messagesPerUnitDay * (sku === 'Free_F1' ? 1 : units),
      pricePerMillionMessages: limits.hardMessageCap ? 0 : WEBPUBSUB_PRICES.perMillionMessages,
      privateServerAccess: isolated(config),
      ...connectionEventsConfig(config),
    };
    return { config: merged, issues };
  },
  deploys(group, ctx) {
    const names = webPubSubNames(tfName(ctx.backendId, group.key));
    const c = group.config;
    return [
      { terraformType: 'azurerm_web_pubsub', name: names.service },
      { terraformType: 'azurerm_web_pubsub_hub', name: names.hub },
      ...(c.privateServerAccess
        ? [{ terraformType: 'azurerm_web_pubsub_network_acl', name: names.acl }]
        : []),
      // Only components hosted on a Function App have an identity to grant (usage unknown: all of them).
      ...c.publishers
        .filter((id) => ctx.usage === undefined || ctx.usage.get(id)?.['functions'] !== undefined)
        .map(
          (id): PlannedDeploy => ({
            terraformType: 'azurerm_role_assignment',
            name: names.grant(id),
          }),
        ),
    ];
  },
  monthlyUsd: (config) => monthly(config.sku, config.units),
});

function connectionEventsConfig(
  config: NormalizedConfig,
): Pick<MergedWebPubSubConfig, 'connectionEvents' | 'connectionEventsOff'> {
  const events = connectionEventsOf(config);
  if (events.enabled) return { connectionEvents: true };
  // Without a registry the bounds are the per-instance default (docs/realtime.md): the plan says why only where
  // a plan's bounds go unenforced.
  return admissionPolicy(config).registry
    ? { connectionEvents: false, connectionEventsOff: events.reason }
    : { connectionEvents: false };
}

function monthly(sku: RealtimeSku, units: number): number {
  return roundUsd(units * WEBPUBSUB_PRICES.perUnitDay[sku] * (HOURS_PER_MONTH / 24));
}

const isMultiTenant = (config: NormalizedConfig) =>
  config.auth.enabled && config.auth.signInAudience === 'AzureADMultipleOrgs';
