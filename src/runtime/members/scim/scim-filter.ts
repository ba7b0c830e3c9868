import { MAX_SCIM_PAGE } from '../../../contract/scim/scim.js';

/** A list's equality filter: the attribute (as the caller's list of them spells it), the value, an e-mail's type. */
export interface ScimFilter {
  readonly attribute: string;
  readonly value: string;
  /** `emails[type eq "work"].value eq "…"`: the e-mail's type. */
  readonly type?: string;
}

/** A SCIM list's query: the one equality filter this service answers, and the page (RFC 7644 §3.4.2). */
export interface ScimQuery {
  readonly filter?: ScimFilter;
  /** 0-based (the protocol's `startIndex` is 1-based). */
  readonly start: number;
  readonly count: number;
}

// `<attribute> eq "<value>"`, a bare value too (Learn's `externalId eq jyoung`), and Entra's e-mail form
// `emails[type eq "work"].value eq "<value>"`.
const EQ =
  /^\s*([A-Za-z][\w.:]*?)(?:\[\s*type\s+eq\s+"((?:[^"\\]|\\.)*)"\s*\]\.value)?\s+eq\s+(?:"((?:[^"\\]|\\.)*)"|([^\s"]+))\s*$/i;
const unescape = (s: string) => s.replace(/\\(.)/g, '$1');

/**
 * A list's `filter`, `startIndex` and `count`: only `<attribute> eq "<value>"` on one of `attributes` (Entra's
 * queries: `userName eq "…"` or `externalId eq "…"` for Users — Learn, "Tutorial: Develop and plan provisioning for
 * a SCIM endpoint": "users are … queried with their userName and externalId" —, `displayName eq "…"` for Groups),
 * `emails[type eq "work"].value eq "…"` where `emails.value` is one, else the reason (a SCIM 400
 * `invalidFilter`). `startIndex` below 1 counts as 1; `count` is bounded by {@link MAX_SCIM_PAGE}.
 *
 * @example
 * ```ts
 * scimQuery(new URLSearchParams('filter=userName eq "ada@contoso.com"'), ['userName']);
 * // { ok: true, query: { filter: { attribute: 'userName', value: 'ada@contoso.com' }, start: 0, count: 100 } }
 * ```
 */
export function scimQuery(
  params: URLSearchParams,
  attributes: readonly string[],
): { ok: true; query: ScimQuery } | { ok: false; detail: string } {
  const raw = params.get('filter');
  const int = (k: string, fallback: number) => {
    const n = Number.parseInt(params.get(k) ?? '', 10);
    return Number.isFinite(n) ? n : fallback;
  };
  const start = Math.max(int('startIndex', 1), 1) - 1;
  const count = Math.min(Math.max(int('count', MAX_SCIM_PAGE), 0), MAX_SCIM_PAGE);
  if (raw === null || raw.trim() === '') return { ok: true, query: { start, count } };
  const m = EQ.exec(raw);
  const typed = m?.[2] !== undefined;
  const named = (m?.[1] ?? '').replace(
    /^urn:ietf:params:scim:schemas:core:2\.0:(user|group):/i,
    '',
  );
  const wanted = typed ? `${named}.value` : named;
  const attribute = attributes.find((a) => a.toLowerCase() === wanted.toLowerCase());
  if (!m || !attribute)
    return {
      ok: false,
      detail: `This service answers a filter of the form ${attributes.map((a) => `${a} eq "…"`).join(' or ')}.`,
    };
  const value = m[3] !== undefined ? unescape(m[3]) : (m[4] ?? '');
  const type = typed ? unescape(m[2] ?? '') : undefined;
  return {
    ok: true,
    query: { filter: { attribute, value, ...(type !== undefined ? { type } : {}) }, start, count },
  };
}
