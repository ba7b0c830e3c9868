import type { PlannedResource } from '../../model/plan.js';
import type { BackupMode } from '../../model/config.js';
import { BACKUP_MODES, backupText } from '../../resources/cosmos/backup.js';

/**
 * What a Cosmos DB account of the plan keeps as backup, in words, when the plan says (`config.backup`, an account
 * the backend creates); undefined for any other resource. One Markdown-free line every format shows, so a reviewer
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
  if (resource.type !== 'cosmos') return undefined;
  const mode = resource.config['backup'];
  if (!BACKUP_MODES.includes(mode as BackupMode)) return undefined;
  return { mode: mode as BackupMode, text: backupText(mode as BackupMode) };
}
