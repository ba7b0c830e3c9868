/**
 * The shapes of the continuation tokens Cosmos DB (through `@azure/cosmos`) hands this API, and nothing else. A list
 * sends the token back to Cosmos DB as it came, and a token of any other shape is not refused there: the SDK and the
 * service read what they can of it and start the listing over, skip, or fail deep inside with a 400 that names no
 * token. So a token is checked against these shapes before any query runs — anything else is no token this API
 * issued (400 `invalid-continuation-token`).
 *
 * The shapes:
 * - the service's own token: `+RID:<resource id>#RT:<n>#TRC:<n>…` (`-RID:` for a reverse scan), `~` before a newer
 *   resource id, base64 ids, then `#KEY:value` fields;
 * - the gateway's query token, JSON `{"token": <service token> | null, "range": {"min": <hex>, "max": <hex>}}`, as
 *   the `x-ms-continuation` of a query carries it (the local protocol server writes the same);
 * - the SDK's ORDER BY token, `{"compositeToken", "orderByItems": [{"item"?}], "rid", "skipCount", "filter"?}`;
 * - a non-empty array of either JSON form (a query over several partition key ranges).
 */

/** A resource id (optionally `~`-prefixed), then `#KEY:value` fields of base64/number text. */
const SERVICE_TOKEN = /^[+-]RID:~?([A-Za-z0-9+/=]+)((?:#[A-Z]{2,8}:[A-Za-z0-9+/=~._-]*)*)$/;
/** An effective partition key bound: hex digits, `""` the minimum, `"FF"` the maximum. */
const RANGE_BOUND = /^[0-9A-Fa-f]{0,64}$/;
/** Non-empty padded base64: what Cosmos DB's resource ids are. */
const BASE64 = /^(?:[A-Za-z0-9+/]{4})*(?:[A-Za-z0-9+/]{2}==|[A-Za-z0-9+/]{3}=|[A-Za-z0-9+/]{4})$/;

type Json = unknown;

const isRecord = (v: Json): v is Record<string, Json> =>
  typeof v === 'object' && v !== null && !Array.isArray(v);

/** Whether `v` has exactly the keys `required` plus any of `optional`. */
function hasKeys(
  v: Record<string, Json>,
  required: readonly string[],
  optional: readonly string[] = [],
): boolean {
  const keys = Object.keys(v);
  return (
    required.every((k) => keys.includes(k)) &&
    keys.every((k) => required.includes(k) || optional.includes(k))
  );
}

function isServiceToken(v: Json): boolean {
  const m = typeof v === 'string' ? SERVICE_TOKEN.exec(v) : null;
  return m !== null && BASE64.test(m[1] ?? '');
}

function isRange(v: Json): boolean {
  return (
    isRecord(v) &&
    hasKeys(v, ['min', 'max']) &&
    typeof v['min'] === 'string' &&
    typeof v['max'] === 'string' &&
    RANGE_BOUND.test(v['min']) &&
    RANGE_BOUND.test(v['max'])
  );
}

function isQueryToken(v: Json): boolean {
  return (
    isRecord(v) &&
    hasKeys(v, ['token', 'range']) &&
    (v['token'] === null || isServiceToken(v['token'])) &&
    isRange(v['range'])
  );
}

function isOrderByToken(v: Json): boolean {
  if (
    !isRecord(v) ||
    !hasKeys(v, ['compositeToken', 'orderByItems', 'rid', 'skipCount'], ['filter'])
  )
    return false;
  const composite = v['compositeToken'];
  const compositeOk =
    isServiceToken(composite) ||
    isQueryToken(composite) ||
    (typeof composite === 'string' && isQueryToken(parsed(composite)));
  const items = v['orderByItems'];
  const skip = v['skipCount'];
  const filter = v['filter'];
  return (
    compositeOk &&
    Array.isArray(items) &&
    items.every((i) => isRecord(i) && hasKeys(i, [], ['item'])) &&
    typeof v['rid'] === 'string' &&
    BASE64.test(v['rid']) &&
    typeof skip === 'number' &&
    Number.isSafeInteger(skip) &&
    skip >= 0 &&
    (filter === undefined || filter === null || typeof filter === 'string')
  );
}

function parsed(text: string): Json {
  try {
    return JSON.parse(text) as Json;
  } catch {
    return undefined;
  }
}

const isJsonToken = (v: Json) => isQueryToken(v) || isOrderByToken(v);

/**
 * Whether a continuation token has exactly a shape Cosmos DB issues (see the module comment); a forged token of any
 * other shape — JSON or not — is refused before a query runs.
 *
 * @example
 * ```ts
 * isIssuedContinuation('{"token":"+RID:gAABAIAAAAEDAAAAAAAAAA==#RT:1#TRC:2","range":{"min":"","max":"FF"}}'); // true
 * isIssuedContinuation('{"a":1}');   // false
 * isIssuedContinuation('+RID:zzz');  // false (no base64 resource id)
 * ```
 */
export function isIssuedContinuation(token: string): boolean {
  if (/^[+-]RID:/.test(token)) return isServiceToken(token);
  const value = parsed(token);
  if (Array.isArray(value)) return value.length > 0 && value.every(isJsonToken);
  return isJsonToken(value);
}
