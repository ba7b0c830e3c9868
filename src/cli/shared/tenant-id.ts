/**
 * A tenant id as the runtime takes it from a token's claim or dev's --tenant: a GUID, `local-dev`, `contoso`
 * (what `seed --tenant` and the `tenant` commands accept).
 *
 * @example
 * ```ts
 * TENANT_ID.test('72f988bf-86f1-41af-91ab-2d7cd011db47'); // true
 * ```
 */
export const TENANT_ID = /^[A-Za-z0-9][A-Za-z0-9._-]{0,127}$/;
