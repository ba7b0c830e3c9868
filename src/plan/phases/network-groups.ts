import type { NormalizedConfig } from '../../model/config.js';
import type { SourcedRequirement } from '../../model/requirements.js';
import type { AnyResourceType } from '../../kit/pure/resources/resource-type.js';
import { intersectRanges } from '../../kit/pure/ip-ranges.js';
import { compare } from '../../kit/pure/resources/merge-strategies.js';
import { at } from '../../model/at.js';

/** The resource types whose requirements may carry `allowedIpRanges` (their accounts take network rules). */
const NETWORK_TYPES = new Set(['cosmos', 'storage']);

interface NetworkGroup {
  /** `undefined` for the account the compatibility key alone picks (the shared one). */
  readonly label: string | undefined;
  /** What every member admits; `undefined` is any address (no member listed ranges). */
  admitted: readonly string[] | undefined;
}

const rangesOf = (r: SourcedRequirement) =>
  (r.requirement.config as { allowedIpRanges?: readonly string[] }).allowedIpRanges;

/**
 * The seeds' intersection strategy, before grouping: components that list `allowedIpRanges` share the account
 * their compatibility key picks as long as what they admit together is not empty; a component whose ranges are
 * disjoint from that account's gets a network group of its own (the next group that overlaps, else a new one named
 * after it), which the cosmos and storage compatibility keys carry, so it is a separate account. Components
 * without ranges admit any address and never move. Decided in component-id order (never input order), so the
 * same backend always gives the same groups. Returns `reqs` itself when no requirement lists ranges.
 *
 * @example
 * ```ts
 * const grouped = group(assignNetworkGroups(collect(input, components, types), types, config), types, config);
 * ```
 */
export function assignNetworkGroups(
  reqs: readonly SourcedRequirement[],
  types: ReadonlyMap<string, AnyResourceType>,
  config: NormalizedConfig,
): readonly SourcedRequirement[] {
  const listed: number[] = [];
  for (let i = 0; i < reqs.length; i++) {
    const r = at(reqs, i);
    if (NETWORK_TYPES.has(r.requirement.resourceType) && rangesOf(r)) listed.push(i);
  }
  if (listed.length === 0) return reqs;
  listed.sort(
    (a, b) =>
      compare(at(reqs, a).componentId, at(reqs, b).componentId) ||
      compare(at(reqs, a).requirement.requirementKey, at(reqs, b).requirement.requirementKey),
  );
  // Per resource type and compatibility key: the groups in the order they were opened, the shared one first.
  const groups = new Map<string, NetworkGroup[]>();
  const out = [...reqs];
  for (const i of listed) {
    const r = at(reqs, i);
    const type = types.get(r.requirement.resourceType);
    if (!type) continue;
    const { key } = type.compatibility(r, config);
    const slot = `${type.type}\u0000${key}`;
    let open = groups.get(slot);
    if (!open) groups.set(slot, (open = [{ label: undefined, admitted: undefined }]));
    const ranges = rangesOf(r) ?? [];
    let joined = open.find(
      (g) => g.admitted === undefined || intersectRanges(g.admitted, ranges).length > 0,
    );
    if (!joined) open.push((joined = { label: networkLabel(r.componentId), admitted: undefined }));
    joined.admitted =
      joined.admitted === undefined ? ranges : intersectRanges(joined.admitted, ranges);
    if (joined.label !== undefined)
      out[i] = {
        ...r,
        requirement: {
          ...r.requirement,
          config: { ...r.requirement.config, networkGroup: joined.label },
        },
      };
  }
  return out;
}

/** A group's label: the id of the component that opened it, lower case (a resource key's slug keeps it stable). */
function networkLabel(componentId: string): string {
  return componentId.toLowerCase();
}
