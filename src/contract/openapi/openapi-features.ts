import { DIRECTORY_ROUTE } from '../enterprise/directory.js';
import { API_KEY_ROUTES } from '../integrations/api-keys.js';
import { WEBHOOK_ROUTES } from '../integrations/webhooks.js';
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
 * The operations of those doors open on every plan, no 402 (runtime: the endpoints' `ungatedMethods`): revoking a key
 * and deleting a webhook endpoint, so a downgrade never leaves them beyond the organization's reach
 * (docs/integrations.md, "After a downgrade").
 */
const UNGATED_OPERATIONS = new Set(
  [API_KEY_ROUTES.key, WEBHOOK_ROUTES.webhook].map((r) => `delete /${API_PREFIX}/${r}`),
);

/**
 * The paths with the 402 `feature-not-in-plan` declared on every operation of a door a built-in feature gates
 * (docs/packaging.md): the organization's domains, directory, SCIM tokens and audit log, realtime's negotiate and
 * each CrudApi's search — on a backend with plans (a tenant registry), where a plan may lack the feature. Revoking a
 * key and deleting a webhook endpoint are open on every plan: no 402 there.
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
  const out = new Map<string, Json>();
  for (const [path, item] of paths)
    out.set(
      path,
      [...gated].some((g) => path === g || path.startsWith(`${g}/`))
        ? withFeatureAnswer(path, item)
        : item,
    );
  return out;
}

/** A gated path's item with the 402 on every signed-in operation but those open on every plan. */
function withFeatureAnswer(path: string, item: Json): Json {
  const changed = withSignedInOperations(new Map([[path, item]]), [], (op, method) =>
    UNGATED_OPERATIONS.has(`${method} ${path}`)
      ? op
      : {
          ...op,
          responses: {
            ...(op['responses'] as Json),
            '402': { $ref: '#/components/responses/Problem402' },
          },
        },
  );
  return changed.get(path) ?? item;
}
