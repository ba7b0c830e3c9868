import { AtakoraError } from '../../model/errors.js';

/**
 * A Cosmos DB indexing policy in Azure's own JSON shape (what the portal and the REST API show), so a
 * policy can be pasted from the Azure docs.
 *
 * @example
 * ```ts
 * const policy: IndexingPolicy = {
 *   indexingMode: 'consistent',
 *   includedPaths: [{ path: '/*' }],
 *   excludedPaths: [{ path: '/payload/*' }],
 *   compositeIndexes: [[{ path: '/userId', order: 'ascending' }, { path: '/createdAt', order: 'descending' }]],
 * };
 * ```
 */
export interface IndexingPolicy {
  readonly indexingMode?: 'consistent' | 'none';
  readonly includedPaths?: readonly { readonly path: string }[];
  readonly excludedPaths?: readonly { readonly path: string }[];
  readonly compositeIndexes?: readonly (readonly {
    readonly path: string;
    readonly order?: 'ascending' | 'descending';
  }[])[];
  readonly spatialIndexes?: readonly { readonly path: string }[];
}

const KEYS = new Set([
  'indexingMode',
  'automatic',
  'includedPaths',
  'excludedPaths',
  'compositeIndexes',
  'spatialIndexes',
]);

/**
 * Check an indexing policy at define time: unknown keys and malformed paths would otherwise be dropped on
 * the way to Terraform without a word.
 */
export function checkIndexingPolicy(id: string, policy: unknown): void {
  const at = (...p: (string | number)[]) => ['components', id, 'config', 'indexingPolicy', ...p];
  const fail = (message: string, ...p: (string | number)[]): never => {
    throw new AtakoraError('CONFIG_INVALID', `CrudApi ${id}: ${message}`, {
      path: at(...p),
      resolution:
        "Write the policy in Azure's JSON shape: { indexingMode, includedPaths: [{ path }], excludedPaths, " +
        'compositeIndexes, spatialIndexes }.',
    });
  };
  if (!policy || typeof policy !== 'object' || Array.isArray(policy))
    fail('indexingPolicy must be an object.');
  const p = policy as Record<string, unknown>;
  for (const k of Object.keys(p))
    if (!KEYS.has(k)) fail(`indexingPolicy has an unknown key "${k}".`, k);
  if (
    p['indexingMode'] !== undefined &&
    p['indexingMode'] !== 'consistent' &&
    p['indexingMode'] !== 'none'
  )
    fail('indexingMode must be "consistent" or "none".', 'indexingMode');
  const paths = (key: string) => {
    const list = p[key];
    if (list === undefined) return;
    if (!Array.isArray(list)) fail(`${key} must be an array of { path }.`, key);
    (list as unknown[]).forEach((x, i) => {
      if (
        !x ||
        typeof (x as { path?: unknown }).path !== 'string' ||
        !(x as { path: string }).path.startsWith('/')
      )
        fail(`${key}[${i}].path must be a path starting with "/".`, key, i);
    });
  };
  paths('includedPaths');
  paths('excludedPaths');
  paths('spatialIndexes');
  const composite = p['compositeIndexes'];
  if (composite !== undefined) {
    if (!Array.isArray(composite))
      fail('compositeIndexes must be an array of arrays of { path, order }.', 'compositeIndexes');
    (composite as unknown[]).forEach((index, i) => {
      if (!Array.isArray(index) || index.length < 2)
        fail(
          `compositeIndexes[${i}] must list at least two { path, order }.`,
          'compositeIndexes',
          i,
        );
      (index as unknown[]).forEach((x, j) => {
        const e = x as { path?: unknown; order?: unknown };
        if (!e || typeof e.path !== 'string' || !e.path.startsWith('/'))
          fail(`compositeIndexes[${i}][${j}].path must start with "/".`, 'compositeIndexes', i, j);
        if (e.order !== undefined && e.order !== 'ascending' && e.order !== 'descending')
          fail(
            `compositeIndexes[${i}][${j}].order must be "ascending" or "descending".`,
            'compositeIndexes',
            i,
            j,
          );
      });
    });
  }
}
