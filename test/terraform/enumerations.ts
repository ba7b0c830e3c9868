/**
 * Our lists of values a provider validates against a fixed list of its own (`validation.StringInSlice`), and a
 * probe that makes the provider say that list: `npm run check:terraform` runs `terraform validate` on a one-resource
 * stack holding a value no list has, reads the allowed values from the provider's refusal ("expected … to be one of
 * [...], got …"), and fails when one of ours is missing from them. The provider's list is read at check time from
 * the binary itself, never copied here.
 */
import { COMPRESSIBLE_CONTENT_TYPES } from '../../src/resources/cdn/content-types.js';
import { COSMOS_CONSISTENCY_LEVELS } from '../../src/resources/cosmos/type.js';
import { SKU_ORDER as FUNCTIONS_SKUS } from '../../src/resources/functions/type.js';
import { SERVICEBUS_SKUS } from '../../src/resources/servicebus/type.js';

/** A value no provider list holds: the probe's refusal then names the whole list. */
export const PROBE_VALUE = 'atakora-probe-not-a-value';

export interface ProviderEnumeration {
  /** `<terraform type>.<attribute path>` the values go into. */
  readonly attribute: string;
  /** Ours: every value must be in the provider's list. */
  readonly values: readonly string[];
  /** A `resource` block of one resource of that type, with {@link PROBE_VALUE} in the attribute. */
  readonly probe: Readonly<Record<string, Record<string, Record<string, unknown>>>>;
}

const rg = { resource_group_name: 'rg-probe', location: 'eastus' };
const profile =
  '/subscriptions/00000000-0000-0000-0000-000000000000/resourceGroups/rg-probe/providers/Microsoft.Cdn/profiles/probe';

export const PROVIDER_ENUMERATIONS: readonly ProviderEnumeration[] = [
  {
    attribute: 'azurerm_cdn_frontdoor_route.cache.content_types_to_compress',
    values: COMPRESSIBLE_CONTENT_TYPES,
    probe: {
      azurerm_cdn_frontdoor_route: {
        probe: {
          name: 'probe',
          cdn_frontdoor_endpoint_id: `${profile}/afdEndpoints/probe`,
          cdn_frontdoor_origin_group_id: `${profile}/originGroups/probe`,
          cdn_frontdoor_origin_ids: [`${profile}/originGroups/probe/origins/probe`],
          patterns_to_match: ['/*'],
          supported_protocols: ['Https'],
          cache: [{ compression_enabled: true, content_types_to_compress: [PROBE_VALUE] }],
        },
      },
    },
  },
  {
    attribute: 'azurerm_service_plan.sku_name',
    values: FUNCTIONS_SKUS,
    probe: {
      azurerm_service_plan: {
        probe: { name: 'probe', ...rg, os_type: 'Linux', sku_name: PROBE_VALUE },
      },
    },
  },
  {
    attribute: 'azurerm_cosmosdb_account.consistency_policy.consistency_level',
    values: COSMOS_CONSISTENCY_LEVELS,
    probe: {
      azurerm_cosmosdb_account: {
        probe: {
          name: 'probe',
          ...rg,
          offer_type: 'Standard',
          consistency_policy: [{ consistency_level: PROBE_VALUE }],
          geo_location: [{ location: 'eastus', failover_priority: 0 }],
        },
      },
    },
  },
  {
    attribute: 'azurerm_servicebus_namespace.sku',
    values: SERVICEBUS_SKUS,
    probe: { azurerm_servicebus_namespace: { probe: { name: 'probe', ...rg, sku: PROBE_VALUE } } },
  },
];

/** The provider's list in a StringInSlice refusal (`expected X to be one of ["a" "b"], got Y`), or undefined. */
export function allowedValues(message: string): string[] | undefined {
  const list = /to be one of \[(.*?)\], got/s.exec(message)?.[1];
  return list === undefined
    ? undefined
    : [...list.matchAll(/"((?:[^"\\]|\\.)*)"/g)].map((m) => m[1]!);
}
