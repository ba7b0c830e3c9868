import type { PlannedResource } from '../../model/plan.js';
import type { BackupMode } from '../../model/config.js';
import { BACKUP_MODES, backupText } from '../../resources/cosmos/backup.js';

/**
 * What a Cosmos DB account the backend creates keeps as backup, in words (`config.backup`, Azure's periodic default
 * when absent); undefined for any other resource and for an existing account. One Markdown-free line every format shows, so a reviewer
 * reads from the plan what the synthesized `backup` block holds and what it costs.
 *
 * @example
 * ```ts
 * backupLine(account);
 * // { mode: 'continuous7Days', text: 'continuous backup, 7 days of point-in-time restore (no backup storage charge)' }
 * ```
 */
export function backupLine(
  resource: Pick<PlannedResource, 'type' | 'config'>,
): { readonly mode: BackupMode; readonly text: string } | undefined {
  if (resource.type !== 'cosmos' || resource.config['existing']) return undefined;
  // No backup block: Azure's default, periodic.
  const mode = resource.config['backup'] ?? 'periodic';
  if (!BACKUP_MODES.includes(mode as BackupMode)) return undefined;
  return { mode: mode as BackupMode, text: backupText(mode as BackupMode) };
}
