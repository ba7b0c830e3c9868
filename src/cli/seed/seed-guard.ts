import type { Backend } from '../../backend/backend.js';
import { AtakoraError } from '../../model/errors.js';
import type { SeedSet } from '../shared/seed-file.js';
import { TENANT_ID as TENANT } from '../shared/tenant-id.js';

/**
 * Whether `atakora seed` may write into this backend's environment: SEED_PRODUCTION_REFUSED for `prod` or an
 * environment whose data is protected (`preventDestroy`, on by default) unless `--allow-production`; a usage
 * mistake in `--tenant` is CONFIG_INVALID. Pure: it runs before any token is asked for or request sent.
 *
 * @example
 * ```ts
 * checkSeedTarget(backend, { tenant: 'contoso', allowProduction: false }); // throws for prod
 * ```
 */
export function checkSeedTarget(
  backend: Backend,
  options: { readonly tenant: string | undefined; readonly allowProduction: boolean },
): void {
  if (typeof options.tenant !== 'string' || !TENANT.test(options.tenant))
    throw new AtakoraError(
      'CONFIG_INVALID',
      `--tenant ${JSON.stringify(options.tenant)} is not a tenant id (letters, digits, ".", "_" or "-").`,
      {
        path: ['--tenant'],
        resolution: "Pass the tenant id the items belong to: the callers' tid claim (a GUID).",
      },
    );
  const environment = backend.environment;
  const production = environment === 'prod';
  const protectedData = backend.config.preventDestroy;
  if ((production || protectedData) && !options.allowProduction)
    throw new AtakoraError(
      'SEED_PRODUCTION_REFUSED',
      `atakora seed refuses environment ${environment} of ${backend.backendId}: ` +
        (production
          ? 'it is production'
          : 'its data is protected (preventDestroy is on, the default)') +
        '. Nothing was sent.',
      {
        path: ['--environment'],
        resolution:
          'Seed a test or preview environment (one with preventDestroy: false), or pass --allow-production if ' +
          'you mean to write these items into this environment.',
      },
    );
}

/**
 * The `oid` claim of an Entra access token (the deployer, recorded as the seeded items' creator), or undefined
 * when the token is not a JWT carrying one. The token is our own, just issued: it is read, not verified.
 *
 * @example
 * ```ts
 * ownerOfToken(token); // '9c1f…' (the signed-in user's or service principal's object id)
 * ```
 */
export function ownerOfToken(token: string): string | undefined {
  const payload = token.split('.')[1];
  if (payload === undefined) return undefined;
  try {
    const claims = JSON.parse(Buffer.from(payload, 'base64url').toString('utf8')) as unknown;
    const oid =
      claims && typeof claims === 'object' ? (claims as Record<string, unknown>)['oid'] : undefined;
    return typeof oid === 'string' && oid !== '' ? oid : undefined;
  } catch {
    return undefined;
  }
}

/**
 * Under owner rules every item needs its creator: an item without the owner field, with no owner known (no
 * `--owner` and a token without `oid`), is refused rather than stored owned by nobody.
 *
 * @example
 * ```ts
 * checkOwnerKnown(sets, undefined); // throws when a set's entity has an owner rule
 * ```
 */
export function checkOwnerKnown(sets: readonly SeedSet[], owner: string | undefined): void {
  if (owner !== undefined) return;
  for (const set of sets) {
    if (!(set.entity.access ?? []).some((r) => r.allow === 'owner')) continue;
    const field = set.entity.ownerField ?? 'ownerId';
    const index = set.items.findIndex((i) => !Object.hasOwn(i, field));
    if (index >= 0)
      throw new AtakoraError(
        'CRUD_SEED_INVALID',
        `CrudApi ${set.componentId}: seed ${set.file}: item ${String(index)} has no ${field}, the entity has ` +
          'owner rules, and no owner is known (no --owner, and the token carries no oid).',
        {
          path: ['components', set.componentId, 'config', 'seed', index, field],
          resolution: `Pass --owner <oid> (the user the items belong to), or give each item its ${field}.`,
        },
      );
  }
}
