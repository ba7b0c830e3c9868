import type { BackupMode } from '../../model/config.js';
import type { PlanIssue, PlannedResource } from '../../model/plan.js';
import { roundUsd } from '../../kit/pure/resources/prices.js';
import { COSMOS_PRICES, SERVERLESS_WORKLOAD } from './prices.js';

/** The backup modes `BackendConfig.backup.mode` takes, in the order the docs list them. */
export const BACKUP_MODES: readonly BackupMode[] = [
  'continuous7Days',
  'continuous30Days',
  'periodic',
];

/**
 * The backup mode when the config names none: continuous with 7 days in `prod` (point-in-time restore, the one
 * thing `atakora tenant restore` needs, at no backup storage charge), periodic elsewhere — Azure's own default, and
 * the only mode an account can still leave (continuous is one-way: docs/tenants.md, "Backup").
 *
 * @example
 * ```ts
 * defaultBackupMode('prod'); // 'continuous7Days'
 * defaultBackupMode('dev');  // 'periodic'
 * ```
 */
export function defaultBackupMode(environment: string): BackupMode {
  return environment === 'prod' ? 'continuous7Days' : 'periodic';
}

/** The azurerm `backup` block of a mode (cdktf's camel-case argument names). */
export interface CosmosBackupBlock {
  readonly type: 'Continuous' | 'Periodic';
  readonly tier?: 'Continuous7Days' | 'Continuous30Days';
  readonly intervalInMinutes?: number;
  readonly retentionInHours?: number;
  readonly storageRedundancy?: 'Geo';
}

/**
 * The account's `backup` block for a mode. The tier is always written: Azure applies `Continuous30Days` (the billed
 * one) to a continuous policy without a tier (Learn, "Resource model for the point-in-time restore feature",
 * BackupPolicy). Periodic spells out Azure's defaults (240 minutes, 8 hours, Geo): azurerm v4.55.0
 * `expandCosmosdbAccountBackup` sends `interval_in_minutes` and `retention_in_hours` as given, 0 when unset.
 *
 * @example
 * ```ts
 * cosmosBackupBlock('continuous7Days'); // { type: 'Continuous', tier: 'Continuous7Days' }
 * ```
 */
export function cosmosBackupBlock(mode: BackupMode): CosmosBackupBlock {
  if (mode === 'periodic')
    return {
      type: 'Periodic',
      intervalInMinutes: 240,
      retentionInHours: 8,
      storageRedundancy: 'Geo',
    };
  return {
    type: 'Continuous',
    tier: mode === 'continuous30Days' ? 'Continuous30Days' : 'Continuous7Days',
  };
}

/**
 * Monthly USD of an account's backup: only the 30-day continuous tier stores backups at a charge, per GB of data
 * and per region (Learn, "Continuous backup with point-in-time restore", Pricing: $0.20/GB × data × regions; the
 * 7-day tier and periodic's two default copies are free). The data is the plan's assumed 1 GB per container
 * (./prices.ts); a restore is billed when it runs ($0.15/GB), never in a month's estimate.
 *
 * @example
 * ```ts
 * cosmosBackupMonthlyUsd('continuous30Days', 5, 1); // 1 (5 containers × 1 GB × $0.20)
 * cosmosBackupMonthlyUsd('continuous7Days', 5, 1);  // 0
 * ```
 */
export function cosmosBackupMonthlyUsd(
  mode: BackupMode | undefined,
  containers: number,
  regions = 1,
): number {
  if (mode !== 'continuous30Days') return 0;
  return roundUsd(
    containers *
      SERVERLESS_WORKLOAD.gbPerContainer *
      COSMOS_PRICES.continuous30DaysBackupPerGbMonth *
      regions,
  );
}

/**
 * One line of the review page and the text plan about an account's backup: the mode, what it restores and what it
 * costs.
 *
 * @example
 * ```ts
 * backupText('continuous7Days'); // 'continuous backup, 7 days of point-in-time restore (no backup storage charge)'
 * ```
 */
export function backupText(mode: BackupMode): string {
  if (mode === 'continuous7Days')
    return 'continuous backup, 7 days of point-in-time restore (no backup storage charge)';
  if (mode === 'continuous30Days')
    return (
      'continuous backup, 30 days of point-in-time restore ' +
      `($${COSMOS_PRICES.continuous30DaysBackupPerGbMonth.toFixed(2)} per GB-month of data and region)`
    );
  return 'periodic backup every 4 hours, 2 copies kept (no point-in-time restore; restores through Azure support)';
}

/**
 * True when a change of the merged config's `backup` makes Terraform replace the account: azurerm v4.55.0
 * `cosmosdb_account_resource.go` CustomizeDiff `ForceNewIfChange("backup.0.type")`, "backup type can only change
 * from Periodic to Continuous". The replacement of a data-holding account is refused by the diff guard
 * (STATEFUL_REPLACEMENT).
 *
 * @example
 * ```ts
 * backupForcesNew(['backup'], 'continuous7Days', 'periodic'); // true
 * ```
 */
export function backupForcesNew(
  path: readonly (string | number)[],
  before: unknown,
  after: unknown,
): boolean {
  return path[0] === 'backup' && isContinuous(before) && after === 'periodic';
}

/**
 * The diff's warning for a change that Azure makes in place but that cannot be undone: periodic → continuous
 * (COSMOS_BACKUP_ONE_WAY), and 30 → 7 days of continuous backup (COSMOS_BACKUP_RETENTION_SHORTENED: the restore
 * points older than 7 days are gone at once — Learn, "Continuous backup with point-in-time restore in Azure Cosmos
 * DB", Current limitations: "if you switch from 30-day tier to 7-day tier, there's the potential for data loss on
 * days beyond the seventh"). 7 → 30 days keeps every point and only costs: no issue.
 *
 * @example
 * ```ts
 * backupChangeIssue('cosmos:shared', 'periodic', 'continuous7Days')?.code; // 'COSMOS_BACKUP_ONE_WAY'
 * backupChangeIssue('cosmos:shared', 'continuous30Days', 'continuous7Days')?.code; // 'COSMOS_BACKUP_RETENTION_SHORTENED'
 * ```
 */
export function backupChangeIssue(
  resourceKey: string,
  before: unknown,
  after: unknown,
): PlanIssue | undefined {
  const warning = (
    code: 'COSMOS_BACKUP_RETENTION_SHORTENED' | 'COSMOS_BACKUP_ONE_WAY',
    message: string,
    resolution: string,
  ): PlanIssue => ({
    severity: 'warning',
    code,
    path: ['resources', resourceKey, 'config', 'backup'],
    details: { resourceKey, before, after },
    message,
    resolution,
  });
  if (before === 'continuous30Days' && after === 'continuous7Days')
    return warning(
      'COSMOS_BACKUP_RETENTION_SHORTENED',
      `${resourceKey}: the backup goes from 30 to 7 days of point-in-time restore. Azure applies it at once: every ` +
        'restore point older than 7 days is gone from the moment it is deployed (atakora tenant restore cannot reach ' +
        'them), and going back to 30 days does not bring them back.',
      'Restore or export what you may need from 8–30 days ago first (atakora tenant restore / tenant export), ' +
        "or keep backup: { mode: 'continuous30Days' }.",
    );
  if (before !== 'periodic' || !isContinuous(after)) return undefined;
  return warning(
    'COSMOS_BACKUP_ONE_WAY',
    `${resourceKey}: the backup goes from periodic to ${after}. Azure migrates the account in place, ` +
      'but never back: a later change to periodic would replace the account (and is refused).',
    "Keep it if point-in-time restore is what you want (atakora tenant restore needs it); otherwise set backup: { mode: 'periodic' } before deploying.",
  );
}

const isContinuous = (mode: unknown) => mode === 'continuous7Days' || mode === 'continuous30Days';

/**
 * A planned account's backup in words (`config.backup`, Azure's periodic default when absent); undefined for an
 * existing account (its owner's choice) or a mode this version does not know.
 *
 * @example
 * ```ts
 * backupLineOf({ type: 'cosmos', config: { backup: 'continuous7Days' } })?.value; // 'continuous7Days'
 * ```
 */
export function backupLineOf(
  resource: Pick<PlannedResource, 'type' | 'config'>,
): { readonly value: BackupMode; readonly text: string } | undefined {
  if (resource.config['existing']) return undefined;
  const mode = resource.config['backup'] ?? 'periodic';
  if (!BACKUP_MODES.includes(mode as BackupMode)) return undefined;
  return { value: mode as BackupMode, text: backupText(mode as BackupMode) };
}
