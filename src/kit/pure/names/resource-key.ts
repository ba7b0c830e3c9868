declare const resourceKeyBrand: unique symbol;

/**
 * The key of a planned resource, `{type}:{group}` (`cosmos:shared`, `cosmos:strong-serverless-westus`). Branded
 * so a key can only come from {@link resourceKey} / {@link sharedKey} / {@link parseResourceKey}, never from
 * an arbitrary string built somewhere else. In the plan's JSON it is a plain string.
 */
export type ResourceKey = string & { readonly [resourceKeyBrand]: 'ResourceKey' };

/** The group of the default compatibility key: the resource every component shares unless it asks otherwise. */
export const SHARED_GROUP = 'shared';

/**
 * The key of a type's group. The group is slugged (lowercase letters, digits, hyphens), so a compatibility key
 * like `strong|serverless|westus` gives `cosmos:strong-serverless-westus`.
 *
 * @example
 * ```ts
 * resourceKey('cosmos', 'strong|serverless|westus'); // 'cosmos:strong-serverless-westus'
 * ```
 */
export function resourceKey(type: string, group: string): ResourceKey {
  return `${type}:${slug(group)}` as ResourceKey;
}

/**
 * The key of a type's shared (default) group.
 *
 * @example
 * ```ts
 * sharedKey('storage'); // 'storage:shared'
 * ```
 */
export function sharedKey(type: string): ResourceKey {
  return `${type}:${SHARED_GROUP}` as ResourceKey;
}

/**
 * Read a key from the plan (or from a user: `getResource('cosmos:strong')`). A bare type means its shared
 * group; anything that is not `type:group` is undefined.
 *
 * @example
 * ```ts
 * parseResourceKey('cosmos:shared'); // { key: 'cosmos:shared', type: 'cosmos', group: 'shared' }
 * parseResourceKey('cosmos');        // { key: 'cosmos:shared', type: 'cosmos', group: 'shared' }
 * ```
 */
export function parseResourceKey(
  text: string,
  defaultGroup: string = SHARED_GROUP,
): { key: ResourceKey; type: string; group: string } | undefined {
  const at = text.indexOf(':');
  const type = at < 0 ? text : text.slice(0, at);
  const group = at < 0 ? defaultGroup : text.slice(at + 1);
  if (!type || !group || group.includes(':')) return undefined;
  return { key: `${type}:${group}` as ResourceKey, type, group };
}

/** The group part of a key (`shared`, `strong-serverless-westus`). */
export function groupOf(key: ResourceKey): string {
  return key.slice(key.indexOf(':') + 1);
}

function slug(key: string): string {
  return key
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^-+|-+$/g, '');
}
