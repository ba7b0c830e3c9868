import { MAX_SCIM_PAGE } from '../../../contract/scim/scim.js';

/** A SCIM list's query: the one equality filter this service answers, and the page (RFC 7644 §3.4.2). */
export interface ScimQuery {
  readonly filter?: { readonly attribute: string; readonly value: string };
  /** 0-based (the protocol's `startIndex` is 1-based). */
  readonly start: number;
  readonly count: number;
}

/**
 * A list's `filter`, `startIndex` and `count`: only `<attribute> eq "<value>"` on one of `attributes` (Entra's
 * queries: `userName eq "…"` for Users, `displayName eq "…"` for Groups), else the reason (a SCIM 400
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
  const m = /^\s*([A-Za-z][\w.:]*)\s+eq\s+"((?:[^"\\]|\\.)*)"\s*$/i.exec(raw);
  const attribute = attributes.find((a) => a.toLowerCase() === m?.[1]?.toLowerCase());
  if (!m || !attribute)
    return {
      ok: false,
      detail: `This service answers a filter of the form ${attributes.map((a) => `${a} eq "…"`).join(' or ')}.`,
    };
  const value = (m[2] ?? '').replace(/\\(.)/g, '$1');
  return { ok: true, query: { filter: { attribute, value }, start, count } };
}
