import type { PlannedResource } from '../../model/plan.js';
import { factsOf } from '../../resources/facts.js';

/**
 * What a resource the backend creates keeps as backup, in words, from its type's facts (a Cosmos DB account:
 * `config.backup`, Azure's periodic default when absent); undefined for a type without backups and for an existing
 * account. One Markdown-free line every format shows, so a reviewer reads from the plan what the synthesized
 * `backup` block holds and what it costs.
 *
 * @example
 * ```ts
 * backupLine(account);
 * // { mode: 'continuous7Days', text: 'continuous backup, 7 days of point-in-time restore (no backup storage charge)' }
 * ```
 */
export function backupLine(
  resource: Pick<PlannedResource, 'type' | 'config'>,
): { readonly mode: string; readonly text: string } | undefined {
  const line = factsOf(resource.type).backupLine?.(resource);
  return line && { mode: line.value, text: line.text };
}
