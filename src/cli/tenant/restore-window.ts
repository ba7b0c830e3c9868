import { AtakoraError } from '../../model/errors.js';
import { printable } from '../shared/terminal-text.js';
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
 * What `--at` takes: ISO 8601's extended calendar date and time with seconds and a fraction optional, and its zone
 * required — `Z` or an offset `±hh:mm` (RFC 3339's profile of ISO 8601, section 5.6, less its lower-case letters and
 * leap second): `2026-11-20T09:30Z`, `2026-11-20T10:30:00.250+01:00`.
 */
const AT =
  /^(\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2})(?::(\d{2})(?:\.(\d{1,9}))?)?(Z|([+-])(\d{2}):(\d{2}))$/;

/** The form `--at` takes, in words (every refusal says it). */
export const AT_FORM =
  'YYYY-MM-DDThh:mm[:ss[.fff]] with Z or an offset ±hh:mm, a real calendar date (e.g. 2026-11-20T09:30:00Z)';

/**
 * Parse `--at` strictly as {@link AT_FORM} and return it as UTC ISO (to the millisecond; finer digits are dropped).
 * A date the calendar does not have (`2026-02-30`, which `Date.parse` reads as March 2), an hour past 23, a minute
 * or second past 59, an offset past ±23:59, or a time without its zone (it would be read in the operator's local
 * zone) is refused, never guessed.
 *
 * @example
 * ```ts
 * restoreTime('2026-11-20T10:00:00+01:00'); // '2026-11-20T09:00:00.000Z'
 * restoreTime('2026-02-30T10:00Z');         // throws TENANT_RESTORE_TIME_INVALID
 * ```
 */
export function restoreTime(at: string): string {
  const m = AT.exec(at);
  const n = (i: number) => Number(m?.[i] ?? 0);
  const [year, month, day, hour, minute, second] = [n(1), n(2), n(3), n(4), n(5), n(6)];
  const ms = Number((m?.[7] ?? '').padEnd(3, '0').slice(0, 3) || '0');
  const local = Date.UTC(year, month - 1, day, hour, minute, second, ms);
  const d = new Date(local);
  const real =
    m !== null &&
    d.getUTCFullYear() === year &&
    d.getUTCMonth() === month - 1 &&
    d.getUTCDate() === day &&
    hour <= 23 &&
    minute <= 59 &&
    second <= 59 &&
    n(10) <= 23 &&
    n(11) <= 59;
  if (!real)
    throw new AtakoraError(
      'TENANT_RESTORE_TIME_INVALID',
      `--at ${printable(JSON.stringify(at))} is not a strict ISO 8601 time: ${AT_FORM}. Nothing was created or changed.`,
      {
        path: ['tenant', 'restore', '--at'],
        resolution:
          'Pass the time as ISO 8601 with Z or an offset, e.g. --at 2026-11-20T09:30:00Z.',
      },
    );
  const offset = m[8] === 'Z' ? 0 : (m[9] === '-' ? -1 : 1) * (n(10) * 60 + n(11)) * 60_000;
  return new Date(local - offset).toISOString();
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
 * What the plan says of a Cosmos DB account, as Resource Manager would: its location, backup policy (the config's
 * `backup.mode` through the account's `backup` block; no block is Azure's default, periodic) and IP rules. Used when
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
  // The components' allowedIpRanges, as the account's IP rules (what the temporary account may admit, at most).
  const ranges = (r.config['ipRanges'] ?? []) as string[];
  return {
    id: '',
    name,
    location: typeof r.config['location'] === 'string' ? r.config['location'] : '',
    tags: {},
    properties:
      ranges.length > 0
        ? { ipRules: ranges.map((ipAddressOrRange) => ({ ipAddressOrRange })) }
        : {},
    backupType: block?.type ?? 'Periodic',
    ...(block?.tier ? { backupTier: block.tier } : {}),
  };
}
