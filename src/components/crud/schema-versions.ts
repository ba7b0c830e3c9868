import { AtakoraError } from '../../model/errors.js';
import { HANDLER_PATTERN } from '../functions/normalize.js';

/** A CrudApi's schema version and its migration modules, checked. */
export interface NormalizedVersions {
  /** 1 when not written. */
  readonly schemaVersion: number;
  /** Module path per version it produces, 2…schemaVersion, in order. */
  readonly migrations: readonly { readonly version: number; readonly module: string }[];
}

/**
 * Check `schemaVersion` and `migrations` (shapes only: definitions and plans never read the disk; the files are
 * checked when the package is bundled, like handlers): a positive integer version, one module path for every
 * step 2…schemaVersion, and no migration beyond it. Throws `CRUD_MIGRATION_INVALID` at the offending path.
 *
 * @example
 * ```ts
 * checkSchemaVersions('OrderApi', 2, { 2: './migrations/order-v2.ts' });
 * // { schemaVersion: 2, migrations: [{ version: 2, module: './migrations/order-v2.ts' }] }
 * ```
 */
export function checkSchemaVersions(
  id: string,
  schemaVersion: unknown,
  migrations: unknown,
): NormalizedVersions {
  const at = (...p: (string | number)[]) => ['components', id, 'config', ...p];
  const fail = (message: string, path: (string | number)[], resolution?: string): never => {
    throw new AtakoraError('CRUD_MIGRATION_INVALID', `CrudApi ${id}: ${message}`, {
      path,
      ...(resolution ? { resolution } : {}),
    });
  };
  const version = schemaVersion ?? 1;
  if (typeof version !== 'number' || !Number.isSafeInteger(version) || version < 1)
    fail(
      `schemaVersion must be a positive integer (got ${JSON.stringify(schemaVersion)}).`,
      at('schemaVersion'),
    );
  const current = version as number;
  if (
    migrations !== undefined &&
    (!migrations || typeof migrations !== 'object' || Array.isArray(migrations))
  )
    fail('migrations must be an object of version → module path.', at('migrations'));
  const given = (migrations ?? {}) as Record<string, unknown>;
  for (const key of Object.keys(given)) {
    const n = Number(key);
    if (!/^\d+$/.test(key) || n < 2 || n > current)
      fail(
        `migrations has a step "${key}", outside 2…${String(current)} (schemaVersion ${String(current)}).`,
        at('migrations', key),
        `Raise schemaVersion to ${key} or remove the step: migration N turns version N−1 into N.`,
      );
  }
  const out: { version: number; module: string }[] = [];
  for (let step = 2; step <= current; step++) {
    const module = given[String(step)];
    if (module === undefined)
      fail(
        `schemaVersion is ${String(current)} but migrations has no step ${String(step)}.`,
        at('migrations', String(step)),
        `Add migrations: { ${String(step)}: './migrations/<entity>-v${String(step)}.ts' } (its default ` +
          `export turns a version-${String(step - 1)} item into version ${String(step)}).`,
      );
    if (typeof module !== 'string' || !HANDLER_PATTERN.test(module.trim()))
      fail(
        `migration ${String(step)} must be a module path like './migrations/order-v${String(step)}.ts' ` +
          `(got ${JSON.stringify(module)}).`,
        at('migrations', String(step)),
      );
    out.push({ version: step, module: (module as string).trim() });
  }
  return { schemaVersion: current, migrations: out };
}
