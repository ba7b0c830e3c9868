import type { PlanIssue } from '../../model/plan.js';
import { compare } from './resources/merge-strategies.js';
import { intersectRanges, rangesOutside } from './ip-ranges.js';

/**
 * The seeds' intersection strategy for network allow-lists: a shared account admits only the addresses every
 * component on it admits. A component without ranges admits any address; when some list ranges, each component
 * that loses something is named in one `MERGE_NARROWED` warning with the ranges it loses (`any address` for a
 * component that listed none). `ranges` is undefined when no component lists any. The planner keeps components
 * whose ranges are disjoint apart (plan/network-groups.ts), so the result is never empty for a planned group.
 *
 * @example
 * ```ts
 * intersection(
 *   [
 *     { componentId: 'A', ranges: ['203.0.113.0/24', '198.51.100.0/24'] },
 *     { componentId: 'B', ranges: ['203.0.113.0/24'] },
 *   ],
 *   'The Cosmos DB account',
 * ).ranges; // ['203.0.113.0/24'], with a MERGE_NARROWED warning naming 198.51.100.0/24 of A
 * ```
 */
export function intersection(
  members: readonly {
    readonly componentId: string;
    readonly ranges: readonly string[] | undefined;
  }[],
  what: string,
): { ranges: string[] | undefined; issues: PlanIssue[] } {
  let admitted: string[] | undefined;
  for (const m of members)
    if (m.ranges)
      admitted = admitted === undefined ? [...m.ranges] : intersectRanges(admitted, m.ranges);
  if (admitted === undefined) return { ranges: undefined, issues: [] };
  const kept = admitted;
  const losses: string[] = [];
  const components: string[] = [];
  for (const m of [...members].sort((a, b) => compare(a.componentId, b.componentId))) {
    const lost = m.ranges ? rangesOutside(m.ranges, kept) : ['any address'];
    if (lost.length === 0 || components.includes(m.componentId)) continue;
    components.push(m.componentId);
    losses.push(`${lost.join(', ')} of ${m.componentId}`);
  }
  if (losses.length === 0) return { ranges: kept, issues: [] };
  return {
    ranges: kept,
    issues: [
      {
        severity: 'warning',
        code: 'MERGE_NARROWED',
        components,
        message:
          `${what} shared by ${[...new Set(members.map((m) => m.componentId))].sort(compare).join(', ')} admits ` +
          `only ${kept.join(', ') || 'no address'} from outside Azure (the ranges every one of them admits): ` +
          `dropped ${losses.join('; ')}.`,
        resolution:
          'List the same ranges on the components that share the account, or give the component that needs ' +
          'other ranges ranges disjoint from the others: it then gets an account of its own.',
      },
    ],
  };
}
