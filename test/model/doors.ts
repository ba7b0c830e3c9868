/**
 * The other doors of the model-based test: the same request as an MCP tool call (the runtime's `api/mcp`, JSON-RPC
 * `tools/call`) and as a `dataOf(request)` call in a handler (the data door the function gate opens), each answer
 * read back as the REST reply it must equal — status, problem type, body. What the REST route answers, every door
 * answers; a tool the caller may not call at all is a protocol error, which the model must then expect as a
 * refusal of the caller's rules (401/403) whatever the item. An organization's API key goes through both doors too
 * (commands.ts: the key and no principal, as its REST request): `dataOf` in a handler the key calls answers as the
 * member of its role; `api/mcp` refuses the key with the endpoint's own 403 `api-key-not-allowed`
 * (src/access/model/api-keys.ts `keyDoorTakesKeys`), read back here as a refusal like any HTTP answer but 200.
 */
import { HttpRequest, type HttpResponseInit } from '@azure/functions';
import type { RuntimeAuth } from '../../src/model/runtime-manifest.js';
import { gateHandler } from '../../src/runtime/pipeline/function-gate.js';
import type { CrudToolAction } from '../../src/model/mcp-tool-names.js';
import { crudToolName } from '../../src/model/mcp-tool-names.js';
import { dataOf } from '../../src/client/data-of.js';
import { ProblemError } from '../../src/client/problem-error.js';
import { openDataDoor } from '../../src/runtime/in-process/data-door.js';
import type { InProcessRoutes } from '../../src/runtime/in-process/routes.js';
import type { Reply } from '../runtime/support/http.js';
import { makeContext } from '../runtime/support/http.js';
import type { Principal } from './backend.js';
import type { AggregateAsked } from './search-reference.js';

/** Which door a request goes through. */
export type Door = 'rest' | 'mcp' | 'data';

/** A reply as the REST route would give it. */
function reply(status: number, body: unknown): Reply {
  const text = body === undefined ? '' : JSON.stringify(body);
  return { status, headers: new Headers(), text, body };
}

/** The reply of a tool the caller may not call: no HTTP status of its own (the model expects a rules refusal). */
export const UNLISTED = 0;

/** One operation of a CrudApi, as the doors take it. */
export type DoorCall =
  | { readonly op: 'get'; readonly id: string; readonly pk?: string; readonly expand: string[] }
  | {
      readonly op: 'list';
      readonly expand: string[];
      readonly count: boolean;
      /** Its first page only (one operation: the plans model counts each page's pass). */
      readonly onePage?: boolean;
    }
  | { readonly op: 'create'; readonly body: Record<string, unknown> }
  | {
      readonly op: 'update';
      readonly id: string;
      readonly pk?: string;
      readonly body: Record<string, unknown>;
    }
  | { readonly op: 'delete'; readonly id: string; readonly pk?: string }
  /** A search's every page, following its tokens: `{ items }` in the order the pages gave them. */
  | { readonly op: 'search'; readonly body: Record<string, unknown> }
  /** `$apply=groupby(…)` as the MCP `<entity>_aggregate` tool and `groupBy()` take it. */
  | {
      readonly op: 'aggregate';
      readonly fields: readonly string[];
      readonly aggregates: readonly AggregateAsked[];
    };

const SUCCESS: Record<Exclude<DoorCall['op'], 'search' | 'aggregate'>, number> = {
  get: 200,
  list: 200,
  create: 201,
  update: 200,
  delete: 204,
};

/** At most this many pages of a search are followed (a token that never ends fails the run, not the machine). */
export const MAX_PAGES = 100;

/**
 * Every page of a search, each asked with the previous page's token: the first refusal, or `{ items }` of all
 * pages in order (a page that repeats an item or skips one shows in the concatenation the model compares).
 *
 * @example
 * ```ts
 * const r = await searchPages((after) => post({ text: 'x', ...(after ? { after } : {}) }));
 * ```
 */
export async function searchPages(page: (after?: string) => Promise<Reply>): Promise<Reply> {
  const items: unknown[] = [];
  let after: string | undefined;
  for (let n = 0; n < MAX_PAGES; n++) {
    const r = await page(after);
    if (r.status !== 200) return r;
    items.push(...(r.body.items as unknown[]));
    after = (r.body.continuationToken as string | null) ?? undefined;
    if (!after) return reply(200, { items });
  }
  throw new Error(`a search of more than ${String(MAX_PAGES)} pages`);
}

/**
 * The call through `api/mcp`: one `tools/call` (a list's every page, and its count through `<entity>_count`).
 *
 * @example
 * ```ts
 * const r = await viaMcp(post, 'E0', { op: 'get', id: 'a', expand: [] });
 * ```
 */
export async function viaMcp(
  post: (message: unknown) => Promise<Reply>,
  entityName: string,
  call: DoorCall,
): Promise<Reply> {
  let id = 0;
  type Answer = { readonly refused: Reply } | { readonly value: Record<string, unknown> };
  const tool = async (action: CrudToolAction, args: Record<string, unknown>): Promise<Answer> => {
    const r = await post({
      jsonrpc: '2.0',
      id: ++id,
      method: 'tools/call',
      params: { name: crudToolName(entityName, action), arguments: args },
    });
    // A caller-stage refusal (a directory not admitted) is the endpoint's own HTTP answer, as REST's.
    if (r.status !== 200) return { refused: r };
    const body = r.body as {
      result?: { structuredContent: Record<string, unknown>; isError?: boolean };
      error?: unknown;
    };
    if (body.error) return { refused: reply(UNLISTED, body.error) };
    const result = body.result!;
    return result.isError
      ? { refused: reply(Number(result.structuredContent['status']), result.structuredContent) }
      : { value: result.structuredContent };
  };
  const pk = (p: string | undefined) => (p === undefined ? {} : { partitionKey: p });
  const expand = (e: string[]) => (e.length ? { expand: e } : {});
  if (call.op === 'search')
    return searchPages(async (after) => {
      const r = await tool('search', { ...call.body, ...(after ? { after } : {}) });
      return 'refused' in r ? r.refused : reply(200, r.value);
    });
  if (call.op === 'aggregate') {
    const r = await tool('aggregate', { groupby: call.fields, aggregates: call.aggregates });
    return 'refused' in r ? r.refused : reply(200, r.value);
  }
  if (call.op === 'list') {
    const items: unknown[] = [];
    let after: unknown;
    for (let n = 0; n < 100; n++) {
      const page = await tool('list', {
        first: 100,
        ...expand(call.expand),
        ...(after ? { after } : {}),
      });
      if ('refused' in page) return page.refused;
      items.push(...(page.value['items'] as unknown[]));
      after = page.value['continuationToken'];
      if (!after) break;
    }
    if (!call.count) return reply(200, { items });
    const counted = await tool('count', {});
    if ('refused' in counted) return counted.refused;
    return reply(200, { items, count: counted.value['count'] });
  }
  const r =
    call.op === 'get'
      ? await tool('get', { id: call.id, ...pk(call.pk), ...expand(call.expand) })
      : call.op === 'create'
        ? await tool('create', call.body)
        : call.op === 'update'
          ? await tool('update', { id: call.id, ...pk(call.pk), patch: call.body })
          : await tool('delete', { id: call.id, ...pk(call.pk) });
  if ('refused' in r) return r.refused;
  return reply(SUCCESS[call.op], call.op === 'delete' ? undefined : r.value['item']);
}

/**
 * The call through `dataOf(request)`: a request of `who` to a function of the app (`data` every CrudApi) behind
 * its real gate — which refuses a caller it does not admit before any code runs and opens the data door for one it
 * does — the typed client's method in its code, its ProblemError read back as the problem.
 *
 * @example
 * ```ts
 * const r = await viaData(real, header, 'E0', { op: 'list', expand: [], count: false });
 * ```
 */
export async function viaData(
  app: { readonly inProcess: InProcessRoutes; readonly policy: RuntimeAuth },
  headers: Record<string, string>,
  componentId: string,
  call: DoorCall,
): Promise<Reply> {
  const { gate, answer } = await viaDataGate(app, headers, componentId, call);
  return answer ?? gate;
}

/**
 * {@link viaData} with the function's own request apart: `gate`, the gated function's answer (its 204, or the gate's
 * refusal as a ProblemError would carry it), and `answer`, the `dataOf` call's, when the gate let its code run.
 *
 * @example
 * ```ts
 * const { gate, answer } = await viaDataGate(real, header, 'E0', { op: 'delete', id: 'a' });
 * ```
 */
export async function viaDataGate(
  app: { readonly inProcess: InProcessRoutes; readonly policy: RuntimeAuth },
  headers: Record<string, string>,
  componentId: string,
  call: DoorCall,
): Promise<{ readonly gate: Reply; readonly answer: Reply | undefined }> {
  const routes = app.inProcess;
  let answer: Reply | undefined;
  const gated = gateHandler(
    async (request) => {
      answer = await dataCall(request, componentId, call);
      return { status: 204 };
    },
    app.policy,
    undefined,
    'model-handler',
    {
      door: (request, caller, invocation) =>
        openDataDoor(request, { caller, invocation }, routes, {
          name: 'model-handler',
          data: routes.allEntities().map((e) => e.componentId),
          keys: {},
        }),
    },
  );
  const served = (await gated(
    new HttpRequest({ method: 'GET', url: 'https://app.test/api/model', headers }),
    makeContext(),
  )) as HttpResponseInit;
  if (answer) return { gate: reply(served.status ?? 200, undefined), answer };
  // The gate refused the caller: its problem as a ProblemError would carry it.
  const problem = JSON.parse(String(served.body)) as Record<string, unknown>;
  const { type, title, status, detail, errors } = problem;
  return {
    gate: reply(served.status ?? 500, {
      type,
      title,
      status,
      detail,
      ...(Array.isArray(errors) && errors.length ? { errors } : {}),
    }),
    answer: undefined,
  };
}

/** One operation through `dataOf(request)` in the function's code. */
async function dataCall(request: HttpRequest, componentId: string, call: DoorCall): Promise<Reply> {
  // The typed client's shape, untyped here: the model's entities are generated.
  const api = (
    dataOf<Record<string, never>>(request) as unknown as Record<
      string,
      Record<string, (...a: unknown[]) => unknown>
    >
  )[componentId]!;
  const pk = (p: string | undefined) => (p === undefined ? {} : { partitionKey: p });
  const expand = (e: string[]) => (e.length ? { expand: e } : {});
  try {
    switch (call.op) {
      case 'get':
        return reply(200, await api['get']!(call.id, { ...pk(call.pk), ...expand(call.expand) }));
      case 'list': {
        const items: unknown[] = [];
        let count: number | undefined;
        const listed = api['list']!({
          first: 100,
          ...expand(call.expand),
          ...(call.count ? { count: true } : {}),
        }) as {
          pages(): AsyncIterable<{ items: unknown[]; count?: number }>;
        };
        for await (const page of listed.pages()) {
          items.push(...page.items);
          count ??= page.count;
          if (call.onePage) break;
        }
        return reply(200, { items, ...(call.count ? { count } : {}) });
      }
      case 'create':
        return reply(201, await api['create']!(call.body));
      case 'update':
        return reply(200, await api['update']!(call.id, call.body, pk(call.pk)));
      case 'delete':
        await api['delete']!(call.id, pk(call.pk));
        return reply(204, undefined);
      case 'search':
        return await searchPages(async (after) =>
          reply(200, await api['search']!({ ...call.body, ...(after ? { after } : {}) })),
        );
      case 'aggregate': {
        const specs = Object.fromEntries(
          call.aggregates.map((a) => [a.as, a.with === 'count' ? '$count' : { [a.with]: a.field }]),
        );
        return reply(
          200,
          await api['groupBy']!(call.fields, call.aggregates.length ? specs : undefined),
        );
      }
    }
  } catch (e) {
    if (!(e instanceof ProblemError)) throw e;
    // What a ProblemError carries of the problem: status, type, title, detail, field errors.
    return reply(e.status, {
      type: e.type,
      title: e.title,
      status: e.status,
      detail: e.detail,
      ...(e.errors.length ? { errors: e.errors } : {}),
      // A plan's refusal names the feature and the plans with it (the features model reads them).
      ...(e.is('feature-not-in-plan') ? e.extensions : {}),
    });
  }
}
