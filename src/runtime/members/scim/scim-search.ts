import type { HttpResponseInit } from '@azure/functions';
import { MAX_SCIM_PAGE, SCIM_SCHEMAS } from '../../../contract/scim/scim.js';
import { readJsonObject } from '../../http/body.js';
import type { ScimApi } from './scim-api.js';
import type { ScimOperation } from './scim-answer.js';
import { scimError, scimJson } from './scim-response.js';
import type { ScimCall } from './scim-serve.js';

/** The SearchRequest message's URN (RFC 7644 §3.4.3). */
export const SCIM_SEARCH_REQUEST = SCIM_SCHEMAS.searchRequest;

type Body = Readonly<Record<string, unknown>>;

/** `attributes`/`excludedAttributes` as the body sends them (a JSON array of names, or one comma-separated string). */
const names = (v: unknown): string | undefined =>
  Array.isArray(v) ? v.map(String).join(',') : typeof v === 'string' ? v : undefined;

/**
 * A SearchRequest's parameters as the query string a `GET` of the same list reads (RFC 7644 §3.4.3: "The body of the
 * POST request MAY include any of the parameters defined in Section 3.4.2"): `filter`, `startIndex`, `count`,
 * `attributes` and `excludedAttributes`; `sortBy`/`sortOrder` ignored as for a GET (ServiceProviderConfig says
 * `sort.supported: false`); a `schemas` without the SearchRequest's URN a SCIM 400 `invalidSyntax`.
 *
 * @example
 * ```ts
 * searchQuery({ schemas: [SCIM_SEARCH_REQUEST], attributes: ['userName'] }); // { ok: true, params: attributes=userName }
 * ```
 */
export function searchQuery(
  body: Body,
): { ok: true; params: URLSearchParams } | { ok: false; response: HttpResponseInit } {
  const schemas = body['schemas'];
  if (schemas !== undefined && !(Array.isArray(schemas) && schemas.includes(SCIM_SEARCH_REQUEST)))
    return {
      ok: false,
      response: scimError(
        400,
        `A search's body is a SearchRequest: "schemas": ["${SCIM_SEARCH_REQUEST}"] (RFC 7644 §3.4.3).`,
        'invalidSyntax',
      ),
    };
  const params = new URLSearchParams();
  for (const key of ['filter', 'startIndex', 'count'] as const) {
    const v = body[key];
    if (typeof v === 'string' || typeof v === 'number') params.set(key, String(v));
  }
  for (const key of ['attributes', 'excludedAttributes'] as const) {
    const v = names(body[key]);
    if (v !== undefined) params.set(key, v);
  }
  return { ok: true, params };
}

async function searchParamsOf(call: ScimCall) {
  const body = await readJsonObject(call.request);
  return body.ok ? searchQuery(body.value) : body;
}

/**
 * `POST <Users|Groups>/.search`: the list `list` answers for a `GET` with the SearchRequest's parameters (RFC 7644
 * §3.4.3, "the HTTP POST verb combined with the '/.search' path extension").
 *
 * @example
 * ```ts
 * const usersSearch = searchOf(listUsers);
 * ```
 */
export const searchOf =
  (list: ScimOperation): ScimOperation =>
  async (api, call) => {
    const q = await searchParamsOf(call);
    return q.ok ? list(api, { ...call, query: q.params }) : q.response;
  };

type Page = { ok: true; total: number; items: unknown[] } | { ok: false; answer: HttpResponseInit };

/** One resource type's page of a root search: its ListResponse read, or its refusal (a filter it cannot answer). */
async function pageOf(
  list: ScimOperation,
  api: ScimApi,
  call: ScimCall,
  params: URLSearchParams,
  start: number,
  count: number,
): Promise<Page> {
  const query = new URLSearchParams(params);
  query.set('startIndex', String(start + 1));
  query.set('count', String(count));
  const answer = await list(api, { ...call, query });
  if (answer.status !== 200) return { ok: false, answer };
  // scimJson wrote the list as a JSON string (scim-response.ts).
  const body = JSON.parse(typeof answer.body === 'string' ? answer.body : '{}') as {
    totalResults: number;
    Resources: unknown[];
  };
  return { ok: true, total: body.totalResults, items: body.Resources };
}

/**
 * `POST /.search` at the SCIM root: one ListResponse over every resource type, in the order `lists` names them
 * (Users, then Groups), paged across them as one result set (RFC 7644 §3.4.3: "a search from the server root
 * endpoint" covers every resource type; §3.4.2.4 `startIndex`/`count` over the whole set). A filter one type cannot
 * answer (an attribute it has not) matches none of that type; one no type answers is that SCIM 400.
 *
 * @example
 * ```ts
 * const rootSearch = searchRoot([listUsers, listGroups]);
 * ```
 */
export const searchRoot =
  (lists: readonly ScimOperation[]): ScimOperation =>
  async (api, call) => {
    const q = await searchParamsOf(call);
    if (!q.ok) return q.response;
    const int = (k: string, fallback: number) => {
      const n = Number.parseInt(q.params.get(k) ?? '', 10);
      return Number.isFinite(n) ? n : fallback;
    };
    const start = Math.max(int('startIndex', 1), 1) - 1;
    let skip = start;
    let left = Math.min(Math.max(int('count', MAX_SCIM_PAGE), 0), MAX_SCIM_PAGE);
    let total = 0;
    const items: unknown[] = [];
    const refused: HttpResponseInit[] = [];
    for (const list of lists) {
      const page = await pageOf(list, api, call, q.params, skip, left);
      if (!page.ok) {
        // An outage is no "matches none": the whole search answers it, so the client retries.
        if ((page.answer.status ?? 200) >= 500) return page.answer;
        refused.push(page.answer);
        continue;
      }
      total += page.total;
      items.push(...page.items);
      left -= page.items.length;
      skip = Math.max(skip - page.total, 0);
    }
    if (refused.length === lists.length && refused[0]) return refused[0];
    return scimJson(200, {
      schemas: [SCIM_SCHEMAS.listResponse],
      totalResults: total,
      startIndex: start + 1,
      itemsPerPage: items.length,
      Resources: items,
    });
  };
