import { DIRECTORY_ROUTE } from '../enterprise/directory.js';
import { API_PREFIX } from '../routes.js';
import { searchRoute } from '../search.js';
import { withSignedInOperations } from './openapi-limits.js';

type Json = { [k: string]: unknown };

/** The tenant routes a built-in feature gates (runtime: the `feature` of their endpoints). */
const GATED_TENANT_ROUTES = [
  'tenant/domains',
  DIRECTORY_ROUTE,
  'tenant/scim-tokens',
  'tenant/api-keys',
  'tenant/webhooks',
  'tenant/audit',
  'realtime/negotiate',
] as const;

/**
 * The paths with the 402 `feature-not-in-plan` declared on every operation of a door a built-in feature gates
 * (docs/packaging.md): the organization's domains, directory, SCIM tokens and audit log, realtime's negotiate and
 * each CrudApi's search — on a backend with plans (a tenant registry), where a plan may lack the feature.
 *
 * @example
 * ```ts
 * const gated = withFeatureAnswers(paths, ['notes']);
 * ```
 */
export function withFeatureAnswers(
  paths: ReadonlyMap<string, Json>,
  searchRoutes: readonly string[],
): Map<string, Json> {
  const gated = new Set(
    [...GATED_TENANT_ROUTES, ...searchRoutes.map(searchRoute)].map((r) => `/${API_PREFIX}/${r}`),
  );
  const changed = withSignedInOperations(paths, [], (op) => ({
    ...op,
    responses: {
      ...(op['responses'] as Json),
      '402': { $ref: '#/components/responses/Problem402' },
    },
  }));
  const out = new Map<string, Json>();
  for (const [path, item] of paths)
    out.set(
      path,
      [...gated].some((g) => path === g || path.startsWith(`${g}/`))
        ? (changed.get(path) ?? item)
        : item,
    );
  return out;
}
