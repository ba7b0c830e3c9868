import type { SiteConfig } from '../contract/site-config.js';
import { AtakoraError } from './client-error.js';
import { urlSegment } from './url-segment.js';
import { crudClient, list } from './crud-client.js';
import { fileUpload } from './files-client.js';
import type { FunctionShape } from './function-types.js';
import { functionCall } from './functions-client.js';
import type { Transport } from './transport.js';
import { negotiateUrlOf, routeOfBaseUrl, type RealtimeEvent } from '../contract/realtime.js';
import { RealtimeConnection, type WebSocketConstructor } from './realtime/connection.js';
import { live, type LiveQuery, type SubscribeOptions, watch } from './realtime/subscriptions.js';
import type { Client, TenantMembers } from './types.js';
import { tenantMembers } from './tenants-client.js';
import { membershipMembers } from './members-client.js';
import { domainsMember } from './domains-client.js';
import { joinMembers } from './joins-client.js';
import { agentsOf } from './agents/agents-client.js';
import { billingMember } from './billing-client.js';
import { tenantUrlsOf } from '../contract/tenants.js';

/**
 * Options of {@link createClient}: where each API is (`config`, a site's `atakora.config.json`, or `baseUrls`
 * by component key; `baseUrls` wins for a key both name), the access token, and optionally `fetch`.
 *
 * @example
 * ```ts
 * const options: ClientOptions = { baseUrls: { notes: 'http://127.0.0.1:7071/api/notes' }, getToken: () => undefined };
 * ```
 */
export interface ClientOptions {
  readonly config?: SiteConfig;
  readonly baseUrls?: Readonly<Record<string, string>>;
  /** The access token for the API's scope (sent as `Authorization: Bearer …`); none → no header (atakora dev). */
  readonly getToken: () => string | undefined | null | Promise<string | undefined | null>;
  /** Default `globalThis.fetch`. */
  readonly fetch?: typeof fetch;
  /**
   * FunctionsApp keys' function configs (the `functions` object given to `FunctionsApp.define`, which may live
   * in a module of plain data both import): the client then sends each function's route and first method.
   * A key not named here is still callable: the route is the function's name, the method POST with a body,
   * GET without (a function's defaults).
   */
  readonly functions?: Readonly<Record<string, Readonly<Record<string, FunctionShape>>>>;
  /**
   * The WebSocket class realtime CrudApis' `watch` and `live` connect with. Default `globalThis.WebSocket` (browsers,
   * Node 22); on Node 20 pass the `ws` package's: `import WebSocket from 'ws'`.
   */
  readonly WebSocket?: WebSocketConstructor;
  /**
   * The organization every request acts in, with tenants by membership (sent as `X-Atakora-Tenant`): an id, or a
   * function read at each request (an app that switches organizations). Left out, the caller's only organization.
   */
  readonly tenant?: string | (() => string | undefined);
}

/**
 * One key's client. The client knows component types only as types, so every key answers both: the CRUD
 * methods (the same routes serve a FileStore's list, get and delete; `upload` for FileStores) and, by any other
 * name, an HTTP function of a FunctionsApp. A key given in `functions` is a FunctionsApp's: all its names are
 * functions, even `get` or `list`.
 */
function keyClient(
  t: Transport,
  shapes: Readonly<Record<string, FunctionShape>> | undefined,
  connection: () => RealtimeConnection,
): unknown {
  const calls = new Map<string, unknown>();
  const call = (name: string): unknown => {
    let f = calls.get(name);
    if (f === undefined) calls.set(name, (f = functionCall(t, name, shapes?.[name])));
    return f;
  };
  if (shapes !== undefined) {
    return new Proxy(
      {},
      { get: (_t, name) => (typeof name === 'string' && name !== 'then' ? call(name) : undefined) },
    );
  }
  const route = routeOfBaseUrl(t.baseUrl);
  const crud: Record<string, unknown> = {
    ...crudClient(t),
    upload: fileUpload(t),
    // A realtime CrudApi's (the types show them only there): one shared connection per API.
    watch: (
      query: { filter?: string } | undefined,
      onEvent: (e: RealtimeEvent) => void,
      o?: SubscribeOptions,
    ) => watch(connection(), route, query, onEvent, o),
    live: (query: LiveQuery | undefined, onSnapshot: (s: unknown) => void, o?: SubscribeOptions) =>
      live(connection(), route, (q) => list(t, q).page(), query ?? {}, onSnapshot, o),
  };
  // Another name is a function of the app, or a CrudApi's children (`client.customers.orders(id, options)`):
  // called with an id and at most list options (none of a function call's own), it lists that parent's children.
  const named = (name: string) => {
    const f = call(name) as (...args: unknown[]) => unknown;
    return (...args: unknown[]) => {
      const [id, options] = args;
      const listOptions =
        options === undefined ||
        (typeof options === 'object' &&
          options !== null &&
          !['method', 'params', 'query', 'headers'].some((k) => k in options));
      return typeof id === 'string' && args.length <= 2 && listOptions
        ? list(t, options ?? {}, `/${urlSegment(id, [name, 'id'])}/${urlSegment(name, [name])}`)
        : f(...args);
    };
  };
  return new Proxy(crud, {
    get: (target, name) =>
      typeof name !== 'string' || name === 'then'
        ? undefined
        : name in target
          ? target[name]
          : named(name),
  });
}

/** The client's own keys beside the components' (a component of that key wins). */
const TENANT_MEMBER_KEYS: readonly string[] = [
  'tenants',
  'tenant',
  'me',
  'members',
  'invitations',
  'domains',
  'billing',
];

function invalid(message: string, path: readonly string[]): never {
  throw new AtakoraError(message, ['createClient', ...path]);
}

/**
 * The typed client of a backend: one property per CrudApi component key, each with the methods of its enabled
 * operations (`list`, `get`, `create`, `replace`, `update`, `delete`), entity types inferred from the schema;
 * one per FileStore key (`upload`, …); one per FunctionsApp key whose members are its HTTP functions by name,
 * each `(body?, options?) => Promise<response>` typed from the function's `requestSchema`/`responseSchema`
 * (its base URL is the FunctionsApp handle's `endpoint`).
 * fetch only: runs in browsers and Node. Error answers throw {@link ProblemError}.
 *
 * @example
 * <!-- snippet: no-run (a site's code: reads atakora.config.json from its site and calls the API) -->
 * ```ts
 * import { createClient } from '@atakora/component/client';
 * // `backend` is your defineBackend(…) value, from your backend.ts; only its type is used here.
 * const getToken = async (): Promise<string | undefined> => undefined; // in Azure: MSAL's acquireTokenSilent(…).accessToken
 * const client = createClient<typeof backend>({
 *   config: await (await fetch('/atakora.config.json')).json(),
 *   getToken,
 * });
 * const note = await client.notes.create({ title: 'Buy milk' });
 * for await (const n of client.notes.list({ filter: 'done eq false', orderBy: 'due desc' }))
 *   console.log(n.title);
 * ```
 */
export function createClient<B>(options: ClientOptions): Client<B> {
  if (typeof options !== 'object' || options === null)
    invalid('createClient takes an options object.', []);
  if (typeof options.getToken !== 'function')
    invalid('getToken must be a function returning the access token (or undefined).', ['getToken']);
  const urls: Record<string, string> = { ...options.config?.apis, ...options.baseUrls };
  if (Object.keys(urls).length === 0)
    invalid('Neither config.apis nor baseUrls names an API.', ['config']);
  for (const [key, url] of Object.entries(urls)) {
    if (typeof url !== 'string' || !/^https?:\/\//.test(url))
      invalid(`The base URL of "${key}" must be an http(s) URL (got ${JSON.stringify(url)}).`, [
        'baseUrls',
        key,
      ]);
  }
  const doFetch =
    options.fetch ?? ((...args: Parameters<typeof fetch>) => globalThis.fetch(...args));
  const t = options.tenant;
  if (t !== undefined && typeof t !== 'string' && typeof t !== 'function')
    invalid('tenant must be an organization id, or a function returning one.', ['tenant']);
  const tenant = typeof t === 'function' ? t : t === undefined ? undefined : () => t;
  // What every transport of this client carries: the token, fetch and the organization.
  const base = {
    getToken: options.getToken,
    fetch: doFetch,
    ...(tenant ? { tenant } : {}),
  };
  const made = new Map<string, unknown>();
  // One realtime connection per API (negotiate URL), made when a watch or live first needs it.
  const connections = new Map<string, RealtimeConnection>();
  const connectionFor = (baseUrl: string) => () => {
    const url = negotiateUrlOf(baseUrl);
    let c = connections.get(url);
    if (c === undefined) {
      const Ctor =
        options.WebSocket ?? (globalThis as { WebSocket?: WebSocketConstructor }).WebSocket;
      if (Ctor === undefined)
        invalid(
          'No WebSocket class: this runtime has none built in (Node 20); pass createClient({ …, WebSocket }) ' +
            "with the ws package's (import WebSocket from 'ws').",
          ['WebSocket'],
        );
      connections.set(url, (c = new RealtimeConnection({ baseUrl: url, ...base }, Ctor)));
    }
    return c;
  };
  // `tenants` and `tenant` (a backend with a tenant registry), `me`, `members`, `invitations`, `domains` (tenants by
  // membership) and `billing` (subscriptions) unless a component has that key: on the API of the first CrudApi key (the runtime serves them
  // beside its CRUD routes).
  let members: TenantMembers | undefined;
  const tenantMember = (key: keyof TenantMembers) => {
    if (!members) {
      const crudKey = Object.keys(urls).find((k) => options.functions?.[k] === undefined);
      const baseUrl = crudKey === undefined ? undefined : urls[crudKey];
      if (baseUrl === undefined)
        invalid(`client.${key} needs the base URL of a CrudApi (config.apis or baseUrls).`, [
          'baseUrls',
        ]);
      const transport: Transport = { baseUrl, ...base };
      // Joins by verified domain extend `me`, `tenants` and `tenant` (joins-client.ts).
      const joins = joinMembers(transport);
      const registry = tenantMembers(transport, tenantUrlsOf(baseUrl), joins.joinRequests);
      const membership = membershipMembers(transport);
      members = {
        ...membership,
        me: { ...membership.me, joinable: joins.joinable, agents: agentsOf(transport, 'me') },
        tenants: { ...registry.tenants, join: joins.join },
        tenant: registry.tenant,
        domains: domainsMember(transport),
        billing: billingMember(transport),
      };
    }
    return members[key];
  };
  // One client per key, made on first use; a key without a base URL is an error naming it.
  return new Proxy(
    {},
    {
      get(_target, key) {
        if (typeof key !== 'string' || key === 'then') return undefined;
        if (TENANT_MEMBER_KEYS.includes(key) && urls[key] === undefined)
          return tenantMember(key as keyof TenantMembers);
        let c = made.get(key);
        if (c === undefined) {
          const baseUrl = urls[key];
          if (baseUrl === undefined)
            invalid(
              `No base URL for "${key}": config.apis and baseUrls name ${Object.keys(urls).sort().join(', ')}.`,
              ['baseUrls', key],
            );
          const transport: Transport = { baseUrl, ...base };
          made.set(
            key,
            (c = keyClient(transport, options.functions?.[key], connectionFor(baseUrl))),
          );
        }
        return c;
      },
    },
  ) as Client<B>;
}
