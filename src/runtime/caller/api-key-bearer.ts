import { createHash } from 'node:crypto';
import type { HttpRequest } from '@azure/functions';
import { API_KEY_PREFIX } from '../../contract/integrations/api-keys.js';

/** The longest key looked up: `atk_` and 43 base64url characters is 47; anything far longer is no key of ours. */
const MAX_KEY_LENGTH = 200;

/**
 * The organization API key an `Authorization: Bearer atk_…` header carries; undefined for any other header (an Entra
 * token, a SCIM token, nothing), so nothing else is ever looked up as a key.
 *
 * @example
 * ```ts
 * presentedApiKey(request); // 'atk_Zk3q…' for Authorization: Bearer atk_Zk3q…
 * ```
 */
export function presentedApiKey(request: Pick<HttpRequest, 'headers'>): string | undefined {
  const header = request.headers.get('authorization');
  if (header === null || header.length > MAX_KEY_LENGTH + 20) return undefined;
  const m = /^Bearer\s+(\S+)\s*$/i.exec(header);
  const key = m?.[1];
  return key?.startsWith(API_KEY_PREFIX) && key.length <= MAX_KEY_LENGTH ? key : undefined;
}

/**
 * The SHA-256 of a key, hex: what is stored and looked up (a leaked `members` container leaks no usable key — the
 * key is 256 random bits, so no salt or slow hash is needed against guessing it back from its hash).
 *
 * @example
 * ```ts
 * apiKeyHash('atk_abc'); // '5f1c…' (64 hex digits)
 * ```
 */
export function apiKeyHash(key: string): string {
  return createHash('sha256').update(key, 'utf8').digest('hex');
}
