import { AtakoraError } from '../../model/errors.js';
import type { BackupMode } from '../../model/config.js';
import type { ResourcePlan } from '../../model/plan.js';
import { cosmosBackupBlock } from '../../resources/cosmos/backup.js';
import type { CosmosAccount, RestorableAccount } from '../azure/cosmos-accounts.js';

/** The instance of an account to restore from, and the window `--at` was checked against. */
export interface RestoreSource {
  readonly restorable: RestorableAccount;
  /** ISO times: the earliest and latest restorable points of that instance. */
  readonly from: string;
  readonly to: string;
}

const DAY_MS = 24 * 60 * 60 * 1000;

/**
 * Refuse an account without continuous backup (TENANT_RESTORE_UNAVAILABLE): a periodic one has no point-in-time
 * restore.
 *
 * @example
 * ```ts
 * requireContinuous(live); // throws for { backupType: 'Periodic' }
 * ```
 */
export function requireContinuous(live: CosmosAccount): void {
  if (live.backupType !== 'Continuous')
    throw new AtakoraError(
      'TENANT_RESTORE_UNAVAILABLE',
      `Cosmos DB account ${live.name} has ${live.backupType ?? 'no'} backup: only continuous backup restores to a ` +
        'point in time. Nothing was created or changed.',
      { path: ['backup', 'mode'] },
    );
}

/**
 * Parse `--at`: an ISO 8601 time with a zone (`Z` or `±hh:mm`), as UTC ISO. A time without a zone would be read in
 * the operator's local zone: refused rather than guessed.
 *
 * @example
 * ```ts
 * restoreTime('2026-11-20T10:00:00+01:00'); // '2026-11-20T09:00:00.000Z'
 * ```
 */
export function restoreTime(at: string): string {
  const zoned = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d+)?)?(Z|[+-]\d{2}:\d{2})$/i.test(at);
  const ms = Date.parse(at);
  if (!zoned || Number.isNaN(ms))
    throw new AtakoraError(
      'TENANT_RESTORE_TIME_INVALID',
      `--at ${JSON.stringify(at)} is not an ISO 8601 time with its zone. Nothing was created or changed.`,
      {
        path: ['tenant', 'restore', '--at'],
        resolution:
          'Pass the time as ISO 8601 with Z or an offset, e.g. --at 2026-11-20T09:30:00Z.',
      },
    );
  return new Date(ms).toISOString();
}

/**
 * The restorable instance of the live account that holds `at`, checked: the account must have continuous backup
 * (a periodic one has no point-in-time restore: TENANT_RESTORE_UNAVAILABLE), and `at` must lie in an instance's
 * window — from its creation (or the oldest restorable time Resource Manager reports, else now less the tier's 7 or
 * 30 days) to its deletion or now (Learn, "Continuous backup with point-in-time restore": the window is the
 * retention period back from now, or back to the resource's creation, whichever is later). The live instance
 * (no `deletionTime`) is preferred; an earlier instance of the same name (deleted and created again) serves a time
 * before the live one's creation.
 *
 * @example
 * ```ts
 * const source = restoreSource(live, instances, '2026-11-20T09:00:00.000Z', new Date());
 * source.restorable.id; // '/subscriptions/…/restorableDatabaseAccounts/<instance id>'
 * ```
 */
export function restoreSource(
  live: CosmosAccount,
  instances: readonly RestorableAccount[],
  at: string,
  now: Date,
): RestoreSource {
  requireContinuous(live);
  const days = live.backupTier === 'Continuous7Days' ? 7 : 30;
  const windows = instances.map((r) => {
    const retention =
      r.oldestRestorableTime ?? new Date(now.getTime() - days * DAY_MS).toISOString();
    const from = new Date(
      Math.max(Date.parse(retention), Date.parse(r.creationTime ?? retention)),
    ).toISOString();
    const to = r.deletionTime ?? now.toISOString();
    return { restorable: r, from, to };
  });
  const t = Date.parse(at);
  const holding = windows
    .filter((w) => Date.parse(w.from) <= t && t <= Date.parse(w.to))
    .sort(
      (a, b) =>
        Number(a.restorable.deletionTime !== undefined) -
        Number(b.restorable.deletionTime !== undefined),
    );
  if (holding[0]) return holding[0];
  const listed =
    windows.length === 0
      ? 'Resource Manager lists no restorable instance of it yet'
      : `restorable: ${windows.map((w) => `${w.from} – ${w.to}`).join(', ')}`;
  throw new AtakoraError(
    'TENANT_RESTORE_TIME_INVALID',
    `--at ${at} is outside the restorable window of Cosmos DB account ${live.name} (${listed}; ` +
      `${t > now.getTime() ? 'the time is in the future' : `continuous backup keeps ${String(days)} days`}). ` +
      'Nothing was created or changed.',
    { path: ['tenant', 'restore', '--at'] },
  );
}

/**
 * What the plan says of a Cosmos DB account, as Resource Manager would: its location and backup policy (the
 * config's `backup.mode` through the account's `backup` block; no block is Azure's default, periodic). Used when
 * Resource Manager does not show the live account itself: the restorable instances are still listed by its name.
 *
 * @example
 * ```ts
 * accountFromPlan(plan, 'cosmos-app-prod')?.backupTier; // 'Continuous7Days'
 * ```
 */
export function accountFromPlan(plan: ResourcePlan, name: string): CosmosAccount | undefined {
  const r = plan.resources.find((x) => x.type === 'cosmos' && x.name === name);
  if (!r) return undefined;
  const mode = r.config['backup'] as BackupMode | undefined;
  const block = mode === undefined ? undefined : cosmosBackupBlock(mode);
  return {
    id: '',
    name,
    location: typeof r.config['location'] === 'string' ? r.config['location'] : '',
    tags: {},
    properties: {},
    backupType: block?.type ?? 'Periodic',
    ...(block?.tier ? { backupTier: block.tier } : {}),
  };
}
