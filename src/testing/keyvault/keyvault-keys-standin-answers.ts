import type { StandInKeyVersion } from './keyvault-keys-standin-crypto.js';

/**
 * The data actions of the built-in role Key Vault Crypto User, the role the plan gives the app on its signing key
 * (resources/keyvault/type.ts `KEYVAULT_KEY_USER_ROLE`), as Learn's built-in roles page lists them
 * (https://learn.microsoft.com/azure/role-based-access-control/built-in-roles/security#key-vault-crypto-user,
 * "dataActions": keys/read, update/action, backup/action, encrypt/action, decrypt/action, wrap/action, unwrap/action,
 * sign/action, verify/action). `keys/read` is "List keys in the specified vault, or read properties and public
 * material of a key": Get Key and Get Key Versions alike; `sign/action` is Sign.
 */
export const KEY_VAULT_CRYPTO_USER_DATA_ACTIONS: readonly string[] = [
  'Microsoft.KeyVault/vaults/keys/read',
  'Microsoft.KeyVault/vaults/keys/update/action',
  'Microsoft.KeyVault/vaults/keys/backup/action',
  'Microsoft.KeyVault/vaults/keys/encrypt/action',
  'Microsoft.KeyVault/vaults/keys/decrypt/action',
  'Microsoft.KeyVault/vaults/keys/wrap/action',
  'Microsoft.KeyVault/vaults/keys/unwrap/action',
  'Microsoft.KeyVault/vaults/keys/sign/action',
  'Microsoft.KeyVault/vaults/keys/verify/action',
];

/** Key Vault's page bound of a list: "If not specified the service will return up to 25 results" (maxresults). */
export const KEY_VAULT_MAX_PAGE = 25;

/** A version's attributes as Key Vault answers them (seconds since the epoch; `exp`/`nbf` only when set). */
function attributesOf(key: StandInKeyVersion): Record<string, unknown> {
  return {
    enabled: key.enabled,
    ...(key.notBefore !== undefined ? { nbf: key.notBefore } : {}),
    ...(key.expires !== undefined ? { exp: key.expires } : {}),
    created: key.created,
    updated: key.updated ?? key.created,
    recoveryLevel: 'Recoverable',
    recoverableDays: 90,
    exportable: false,
  };
}

/**
 * Get Key's answer, a KeyBundle (https://learn.microsoft.com/rest/api/keyvault/keys/get-key/get-key: "Gets the
 * public part of a stored key"): the JWK's public part and the attributes.
 */
export function keyBundle(kid: string, key: StandInKeyVersion): unknown {
  return {
    key: { kid, kty: 'EC', key_ops: ['sign', 'verify'], crv: 'P-256', x: key.x, y: key.y },
    attributes: attributesOf(key),
  };
}

/**
 * One page of Get Key Versions (`GET {vault}/keys/{name}/versions?api-version=7.4[&maxresults=n]`,
 * https://learn.microsoft.com/rest/api/keyvault/keys/get-key-versions/get-key-versions: "Retrieves a list of
 * individual key versions with the same key name. The full key identifier, attributes, and tags are provided in the
 * response"): a KeyListResult, `value` the KeyItems (`kid` and `attributes`, no key material — that takes a Get
 * Key per version) and `nextLink` ("The URL to get the next set of keys") while versions remain, its `$skiptoken`
 * opaque. Pages hold at most `maxresults` (1 to 25) or `pageSize`, whichever is smaller; no order is documented, and
 * the stand-in lists by version id, not by creation, so a reader cannot take the last item for the newest.
 */
export function versionsPage(
  base: string,
  name: string,
  versions: readonly StandInKeyVersion[],
  query: URLSearchParams,
  pageSize: number,
): { status: number; body: unknown } {
  const asked = query.get('maxresults');
  const max = asked === null ? KEY_VAULT_MAX_PAGE : Number(asked);
  if (!Number.isInteger(max) || max < 1 || max > KEY_VAULT_MAX_PAGE)
    return {
      status: 400,
      body: badParameter('Invalid parameter: maxresults must be an integer from 1 to 25.'),
    };
  const skip = query.get('$skiptoken');
  const from = skip === null ? 0 : Number(Buffer.from(skip, 'base64url').toString('utf8'));
  if (!Number.isInteger(from) || from < 0)
    return { status: 400, body: badParameter('Invalid parameter: $skiptoken.') };
  const sorted = [...versions].sort((a, b) => (a.version < b.version ? -1 : 1));
  const size = Math.min(max, pageSize);
  const page = sorted.slice(from, from + size);
  const next = from + size < sorted.length ? from + size : undefined;
  return {
    status: 200,
    body: {
      value: page.map((v) => ({
        kid: `${base}/keys/${name}/${v.version}`,
        attributes: attributesOf(v),
      })),
      nextLink:
        next === undefined
          ? null
          : `${base}/keys/${name}/versions?api-version=7.4&$skiptoken=${Buffer.from(String(next)).toString('base64url')}${asked === null ? '' : `&maxresults=${String(max)}`}`,
    },
  };
}

/** Key Vault's 404 for a key or version it does not hold. */
export const keyNotFound = (name: string) => ({
  error: {
    code: 'KeyNotFound',
    message: `A key with (name/id) ${name} was not found in this key vault. If you recently deleted this key you may be able to recover it using the correct recovery command. For help resolving this issue, please see https://go.microsoft.com/fwlink/?linkid=2125182`,
  },
});

export const badParameter = (message: string) => ({ error: { code: 'BadParameter', message } });

/**
 * Key Vault's 403 to an identity whose roles lack the call's data action: `Forbidden`, inner `ForbiddenByRbac`,
 * naming the action ("Caller is not authorized to perform action on resource", Key Vault's REST error codes,
 * https://learn.microsoft.com/azure/key-vault/general/rest-error-codes).
 */
export function forbiddenByRbac(action: string): unknown {
  return {
    error: {
      code: 'Forbidden',
      message:
        'Caller is not authorized to perform action on resource.\r\nIf role assignments, deny assignments or role ' +
        'definitions were changed recently, please observe propagation time.\r\n' +
        `Action: '${action}'`,
      innererror: { code: 'ForbiddenByRbac' },
    },
  };
}
