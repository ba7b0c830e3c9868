/**
 * The names an item field and a partition key may take: one top-level field of plain letters, digits and `_`
 * (not starting with a digit). The runtime writes such a name into Cosmos DB SQL as `c["field"]` and reads it as
 * `item[field]`, so nothing else may reach it; the CrudApi's config check and the manifest's schema both read
 * these, so plan time and start-up refuse the same names.
 *
 * @example
 * ```ts
 * FIELD_NAME.test('createdAt');        // true
 * PARTITION_KEY_PATH.test('/tenantId'); // true; '/a/b' and 'id' are refused
 * ```
 */
export const FIELD_NAME = /^[A-Za-z_][A-Za-z0-9_]*$/;

/**
 * A Cosmos DB partition key path of one top-level field: `/` then a {@link FIELD_NAME} (nested and hierarchical
 * keys are not supported).
 *
 * @example
 * ```ts
 * if (!PARTITION_KEY_PATH.test(key)) throw new Error(`${key}: one top-level field, e.g. "/id"`);
 * ```
 */
export const PARTITION_KEY_PATH = /^\/[A-Za-z_][A-Za-z0-9_]*$/;

/**
 * Whether `path` is a document path of {@link FIELD_NAME} segments, `/email` or `/address/zip` (a unique key's).
 *
 * @example
 * ```ts
 * isFieldPath('/address/zip'); // true; 'email' and '/a//b' are not
 * ```
 */
export function isFieldPath(path: string): boolean {
  return (
    path.startsWith('/') &&
    path
      .slice(1)
      .split('/')
      .every((segment) => FIELD_NAME.test(segment))
  );
}

/** The longest owner field name (`CrudApiConfig.ownerField`): a {@link FIELD_NAME} of at most this many characters. */
export const OWNER_FIELD_MAX_LENGTH = 64;

/**
 * Whether `name` may name the owner field: a {@link FIELD_NAME} of at most {@link OWNER_FIELD_MAX_LENGTH} characters.
 *
 * @example
 * ```ts
 * isOwnerFieldName('createdBy'); // true
 * ```
 */
export function isOwnerFieldName(name: string): boolean {
  return name.length <= OWNER_FIELD_MAX_LENGTH && FIELD_NAME.test(name);
}
