/**
 * A key's rotation policy in the Key Vault keys stand-in, as far as it shapes the versions Key Vault makes: the
 * Rotate trigger's `timeAfterCreate` and the policy's `expiryTime`, ISO 8601 durations (REST, "Update Key Rotation
 * Policy", https://learn.microsoft.com/rest/api/keyvault/keys/update-key-rotation-policy).
 */
export interface StandInRotationPolicy {
  /** Key Vault makes a new version this long after the current one was made (`P90D`). */
  readonly timeAfterCreate?: string;
  /** Each version the policy makes (or a rotation) expires this long after it is made (`P180D`). */
  readonly expiryTime?: string;
}

const DURATION = /^P(?:(\d+)D)?(?:T(?:(\d+)H)?(?:(\d+)M)?(?:(\d+)S)?)?$/;

/**
 * An ISO 8601 duration of days and time (`P90D`, `PT48H`, `P1DT2H`) in ms. Months and years (`P3M`, `P1Y`), whose
 * length depends on the calendar, are refused: the stand-in would have to guess what Key Vault counts.
 *
 * @example
 * ```ts
 * durationMs('P180D'); // 15_552_000_000
 * ```
 */
export function durationMs(iso: string): number {
  const m = DURATION.exec(iso);
  if (!m || iso === 'P' || iso.endsWith('T'))
    throw new Error(`The Key Vault stand-in takes durations of days and time only, not ${iso}.`);
  const [days, hours, minutes, seconds] = m.slice(1).map((n) => Number(n ?? 0)) as [
    number,
    number,
    number,
    number,
  ];
  return (((days * 24 + hours) * 60 + minutes) * 60 + seconds) * 1000;
}

/**
 * The `exp` (seconds) of a version a rotation makes at `now` under `policy`: `now + expiryTime`, none without one
 * ("Expiry time … is used to set expiration date on newly rotated key. It doesn't affect a current key",
 * https://learn.microsoft.com/azure/key-vault/keys/how-to-configure-key-rotation).
 */
export function rotatedExpiry(
  policy: StandInRotationPolicy | undefined,
  now: number,
): number | undefined {
  return policy?.expiryTime === undefined
    ? undefined
    : Math.floor((now + durationMs(policy.expiryTime)) / 1000);
}

/** Whether the policy's Rotate trigger is due at `now` for a current version made at `created` (seconds). */
export function rotationDue(
  policy: StandInRotationPolicy | undefined,
  created: number,
  now: number,
): boolean {
  return (
    policy?.timeAfterCreate !== undefined &&
    now >= created * 1000 + durationMs(policy.timeAfterCreate)
  );
}
