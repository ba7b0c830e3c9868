import type { PlanOfferList } from '../contract/plans/plan-offers.js';
import type { AuditAction, AuditEntry, AuditVia } from '../contract/audit.js';
import type { CreatedScimToken, ScimToken } from '../contract/scim/scim.js';
import type { ApiKey, ApiKeyInput, CreatedApiKey } from '../contract/integrations/api-keys.js';
import type {
  CreatedWebhook,
  RotatedWebhook,
  Webhook,
  WebhookDelivery,
  WebhookInput,
  WebhookPatch,
} from '../contract/integrations/webhooks.js';
import type { TenantBillingView } from '../contract/tenant-billing.js';
import type { ConnectedAgent } from '../contract/mcp/oauth/agents.js';
import type { DomainJoin, OrganizationDomain } from '../contract/domains/domain-shapes.js';
import type { JoinableOrganization, JoinRequest } from '../contract/enterprise/joins.js';
import type { GroupByMethod } from './aggregate-types.js';
import type { SearchBody, SearchPage } from '../contract/search.js';
import type { Tenant, TenantPatch, TenantRecord, TenantRegistration } from '../contract/tenants.js';
import type {
  CreatedInvitation,
  InvitationPreview,
  Invitation,
  InvitationRequest,
  Membership,
  MemberPatch,
  MyTenantPage,
  OrganizationCreation,
} from '../contract/members.js';
import type {
  CrudContract,
  EntityFields,
  EntityItem,
  EntityPatch,
  FieldName,
} from '../contract/entity-types.js';
import type { CrudOperation } from '../model/runtime-manifest.js';
import type { FileMetadata, FileWithUrl } from '../contract/files.js';
import type { FunctionsClient } from './function-types.js';
import type { FunctionsContract } from '../contract/functions-contract.js';
import type {
  ChildrenMap,
  ChildSchema,
  CountedPage,
  ExpandMap,
  RelationOptions,
  WithExpanded,
} from './relation-types.js';

/**
 * `$orderby` terms typed by the entity's field names: `'price'`, `'price desc'`, `'name asc'`.
 *
 * @example
 * ```ts
 * const order: OrderBy<{ id: 'string'; price: 'number' }> = 'price desc';
 * ```
 */
export type OrderBy<S> = FieldName<S> | `${FieldName<S>} asc` | `${FieldName<S>} desc`;

/**
 * Options of `list`: Data API builder's REST conventions, typed by the schema.
 *
 * @example
 * ```ts
 * client.notes.list({
 *   filter: "done eq false and startswith(title, 'A')",
 *   orderBy: ['due desc'],
 *   select: ['title'],
 *   first: 20,
 * });
 * ```
 */
export interface ListOptions<S, K extends FieldName<S> = FieldName<S>> {
  /** `$filter`: `eq ne gt ge lt le`, `and or not`, parentheses, `in`, `startswith endswith contains`. */
  readonly filter?: string;
  /** `$orderby`: fields declared `sortable`, each optionally `asc`/`desc`. */
  readonly orderBy?: OrderBy<S> | readonly OrderBy<S>[];
  /** `$select`: only these fields (and `id`) come back. */
  readonly select?: readonly K[];
  /** `$first`: items per page. */
  readonly first?: number;
  /** `$after`: the continuation token of a page, to start after it. */
  readonly after?: string;
  /** The partition key value (`?pk=`), for entities keyed by another field than the id or the tenant. */
  readonly partitionKey?: string;
  readonly signal?: AbortSignal;
}

/**
 * Options of a CrudApi's `count`: the `$filter` of the items to count, the partition key of an entity keyed by
 * another field, and an abort signal. The same shape as `dataOf`'s (docs/functions.md).
 *
 * @example
 * ```ts
 * const open = await client.notes.count({ filter: 'done eq false' });
 * ```
 */
export interface CountOptions {
  readonly filter?: string;
  readonly partitionKey?: string;
  readonly signal?: AbortSignal;
}

/**
 * What `list` returns: iterate it for every item across pages (`for await`), or ask for pages.
 *
 * @example
 * ```ts
 * for await (const note of client.notes.list({ first: 50 })) console.log(note.title);
 * const { items, continuationToken } = await client.notes.list({ first: 20 }).page();
 * ```
 */
export interface ListResult<T, C = false> extends AsyncIterable<T> {
  /** The first page and its continuation token (`null` on the last page); `count` with `count: true`. */
  page(): Promise<CountedPage<T, C>>;
  /** Every page in turn. */
  pages(): AsyncIterable<CountedPage<T, C>>;
}

/**
 * Options of a call that takes nothing else: `signal` aborts it.
 *
 * @example
 * ```ts
 * import type { CallOptions } from '@atakora/component/client';
 * const options: CallOptions = { signal: AbortSignal.timeout(5_000) }; // client.members.remove('u-7', options)
 * ```
 */
export interface CallOptions {
  readonly signal?: AbortSignal;
}

/**
 * Options of a paged list: `first` per page, `after` a page's continuation token, `signal` aborts it.
 *
 * @example
 * ```ts
 * import type { PageOptions } from '@atakora/component/client';
 * const page: PageOptions = { first: 50 }; // for await (const m of client.members.list(page)) …
 * ```
 */
export interface PageOptions extends CallOptions {
  readonly first?: number;
  readonly after?: string;
}

/**
 * Options of an item operation.
 *
 * @example
 * ```ts
 * await client.orders.get('42', { partitionKey: 'eu' });
 * ```
 */
export interface ItemOptions {
  readonly partitionKey?: string;
  readonly signal?: AbortSignal;
}

/**
 * Options of `replace`, `update` and `delete`: `ifMatch` is an ETag (`etagOf(item)`), `'*'`, or an item this
 * client returned (its ETag); `replace` sends the body's own ETag when it has one. A stale one is a 412 problem.
 *
 * @example
 * ```ts
 * const note = await client.notes.get('42');
 * await client.notes.update(note.id, { done: true }, { ifMatch: note });
 * ```
 */
export interface WriteOptions extends ItemOptions {
  readonly ifMatch?: string | object | false;
}

/** The fields `$select` keeps (and `id`). */
type Selected<T, K> = { [P in keyof T as P extends K ? P : never]: T[P] };

/**
 * `list`'s signature over a schema `S` and its expandable relations `X` (what `$expand` embeds, by name):
 * also the children methods' (`client.customers.orders(id, options)`), with the parent's id first.
 *
 * @example
 * ```ts
 * type NotesList = ListMethod<{ id: 'string'; title: 'string' }, unknown>; // (options?) => ListResult<…>
 * ```
 */
export type ListMethod<S, X, TArgs extends unknown[] = []> = <
  const K extends FieldName<S> = never,
  const E extends keyof X & string = never,
  const C extends boolean = false,
>(
  ...args: [...TArgs, options?: ListOptions<S, K> & RelationOptions<E, C>]
) => ListResult<
  WithExpanded<[K] extends [never] ? EntityItem<S> : Selected<EntityItem<S>, K | 'id'>, X, E>,
  C
>;

/**
 * One realtime event of a CrudApi, typed by its item: `create`, `replace` and `update` carry the item as the
 * receiver's GET shows it (absent only when it was over the service's 1 MB limit: read it with `get`); a `delete`
 * carries the id alone.
 *
 * @example
 * ```ts
 * const onEvent = (e: RealtimeEventOf<{ id: string; title?: string }>) => {
 *   if (e.operation !== 'delete') console.log(e.item?.title);
 * };
 * ```
 */
export type RealtimeEventOf<T> =
  | {
      readonly entity: string;
      readonly operation: 'create' | 'replace' | 'update';
      readonly id: string;
      readonly item?: T;
      readonly at: string;
    }
  | {
      readonly entity: string;
      readonly operation: 'delete';
      readonly id: string;
      readonly item?: undefined;
      readonly at: string;
    };

/**
 * What `live` gives each time the list changes: the first page's items (and `count` when asked for).
 *
 * @example
 * ```ts
 * const render = (s: LiveSnapshot<{ id: string }, true>) => console.log(s.items.length, 'of', s.count);
 * ```
 */
export type LiveSnapshot<T, C = false> = { readonly items: T[] } & (C extends true
  ? { readonly count: number }
  : unknown);

/**
 * A running `watch` or `live`.
 *
 * @example
 * ```ts
 * const stop = (s: LiveSubscription) => s.close();
 * ```
 */
export interface LiveSubscription {
  /** Stop; the connection closes with its last subscription. */
  close(): void;
}

/**
 * Options of `watch` and `live`.
 *
 * @example
 * ```ts
 * const options: RealtimeOptions = { onError: (e) => console.warn('live stopped:', e.message) };
 * ```
 */
export interface RealtimeOptions {
  /**
   * A failure that ends the subscription (default `console.error`): negotiate's 401 or 403, a CrudApi you may not
   * read, a list's problem. Dropped connections are not failures: they reconnect.
   */
  readonly onError?: (error: Error) => void;
}

/**
 * The realtime methods of a CrudApi defined with `realtime: true` (docs/realtime.md): `watch` — each event whose
 * item matches the query's `$filter` (deletes always), as it arrives; `live` — the first page of the list kept up
 * to date (re-listed after every reconnect, so nothing missed is kept wrong).
 *
 * @example
 * ```ts
 * type M = RealtimeMethods<{ id: 'string'; title: 'string' }, unknown>; // watch, live
 * ```
 */
export interface RealtimeMethods<S, X = unknown> {
  watch(
    query: { readonly filter?: string } | undefined,
    onEvent: (event: RealtimeEventOf<EntityItem<S>>) => void,
    options?: RealtimeOptions,
  ): LiveSubscription;
  live<
    const K extends FieldName<S> = never,
    const E extends keyof X & string = never,
    const C extends boolean = false,
  >(
    query: (Omit<ListOptions<S, K>, 'after' | 'signal'> & RelationOptions<E, C>) | undefined,
    onSnapshot: (
      snapshot: LiveSnapshot<
        WithExpanded<[K] extends [never] ? EntityItem<S> : Selected<EntityItem<S>, K | 'id'>, X, E>,
        C
      >,
    ) => void,
    options?: RealtimeOptions,
  ): LiveSubscription;
}

/**
 * What `search()` sends: the search body (docs/search.md: `text`, `vector`, `mode`, `filter`, `first`, `after`), the
 * partition key of an entity keyed by another field, an abort signal.
 *
 * @example
 * ```ts
 * const o: SearchOptions = { text: 'login bug', filter: "status eq 'open'", first: 10 };
 * ```
 */
export type SearchOptions = SearchBody & {
  readonly partitionKey?: string;
  readonly signal?: AbortSignal;
};

/** Every method of one CrudApi; {@link CrudClient} keeps the enabled ones. `X`: its expandable relations. */
export interface CrudMethods<S, X = unknown> {
  list: ListMethod<S, X>;
  /** How many items the caller may read (that `options.filter` matches): `$count=true` on a one-item page. */
  count(options?: CountOptions): Promise<number>;
  /** The groups of the items the caller may read: `$apply=groupby(…)` (docs/aggregates.md). */
  groupBy: GroupByMethod<S>;
  /**
   * A page of the items the caller may read, ranked by a search (`POST api/<route>/search`, docs/search.md), each
   * with its `score`. Typed only on a CrudApi that declares `search` and lists (`SearchMethods`); called
   * untyped on one without, it rejects with a `ProblemError` (over HTTP 405: its item route answers
   * `POST <route>/search`; through `dataOf` 404).
   */
  search(options: SearchOptions): Promise<SearchPage<EntityItem<S>>>;
  /**
   * One item cut by `select` (`$select`) to `id`, the partition key and the fields named — the way to read a
   * CrudApi's search vector, which no answer carries unless named (docs/search.md).
   */
  get<const K extends FieldName<S>, const E extends keyof X & string = never>(
    id: string,
    options: ItemOptions & { readonly select: readonly K[]; readonly expand?: readonly E[] },
  ): Promise<WithExpanded<Selected<EntityItem<S>, K | 'id'>, X, E>>;
  get<const E extends keyof X & string = never>(
    id: string,
    options?: ItemOptions & { readonly expand?: readonly E[] },
  ): Promise<WithExpanded<EntityItem<S>, X, E>>;
  create(item: EntityFields<S>, options?: ItemOptions): Promise<EntityItem<S>>;
  replace(id: string, item: EntityFields<S>, options?: WriteOptions): Promise<EntityItem<S>>;
  update(id: string, patch: EntityPatch<S>, options?: WriteOptions): Promise<EntityItem<S>>;
  delete(id: string, options?: WriteOptions): Promise<void>;
}

/**
 * The client methods an operation enables: `read` → `get`, `list` → `list`, `count` and `groupBy`, `update` →
 * `replace` and `update`. (`search` comes with the CrudApi's `search` declaration too: `SearchMethods`.)
 *
 * @example
 * ```ts
 * type A = ActionsOf<'read' | 'list'>; // 'get' | 'list' | 'count' | 'groupBy'
 * ```
 */
export type ActionsOf<O extends CrudOperation> =
  | (O extends 'list' ? 'list' | 'count' | 'groupBy' : never)
  | (O extends 'create' ? 'create' : never)
  | (O extends 'read' ? 'get' : never)
  | (O extends 'update' ? 'replace' | 'update' : never)
  | (O extends 'delete' ? 'delete' : never);

/**
 * `search()` where a CrudApi can answer it: it declares `search` (`D`, its handle's contract says so) and lists (the
 * search route is the list's, under its rules); else nothing, so a call is a type error rather than a 404.
 *
 * @example
 * ```ts
 * type M = SearchMethods<{ id: 'string'; title: 'string' }, readonly ['list'], true>; // { search(options): … }
 * ```
 */
export type SearchMethods<S, O extends readonly CrudOperation[], D extends boolean> = [D] extends [
  true,
]
  ? 'list' extends O[number]
    ? Pick<CrudMethods<S>, 'search'>
    : unknown
  : unknown;

/**
 * A handle's CrudApi contract's flags that give methods: `realtime` (its fifth parameter) and `search` (its sixth),
 * each `true` only when exactly `true` (a `boolean` flag gives no methods).
 */
type ContractFlags<H> =
  NonNullable<H> extends {
    readonly __contract?: CrudContract<
      unknown,
      readonly CrudOperation[],
      unknown,
      unknown,
      infer R,
      infer D
    >;
  }
    ? {
        readonly realtime: [R] extends [true] ? true : false;
        readonly search: [D] extends [true] ? true : false;
      }
    : { readonly realtime: false; readonly search: false };

/** Whether a handle's CrudApi surely declares `search` (its contract's sixth parameter, exactly `true`). */
export type DeclaresSearch<H> = ContractFlags<H>['search'];

/**
 * One CrudApi's client: only the methods of its enabled operations.
 *
 * @example
 * ```ts
 * const catalog: CrudClient<{ id: 'string'; name: 'string' }, readonly ['read', 'list']> = client.catalog; // get, list
 * ```
 */
export type CrudClient<
  S,
  O extends readonly CrudOperation[] = readonly CrudOperation[],
  X = unknown,
> = Pick<CrudMethods<S, X>, ActionsOf<O[number]>>;

/**
 * A backend's components. `typeof backend` of a default import is the backend, or — in an ES module (.mts) of a CommonJS project importing
 * the backend's .ts file — that module's `module.exports`, whose `default` is the backend: both type the client.
 */
export type ComponentsOf<B> = B extends { readonly components: infer T }
  ? T
  : B extends { readonly default: { readonly components: infer T } }
    ? T
    : B;
type Contracted = {
  readonly componentType: 'CrudApi';
  readonly __contract?: CrudContract<unknown, readonly CrudOperation[]>;
};
type FileKeys<T> = {
  [K in keyof T]-?: NonNullable<T[K]> extends { readonly componentType: 'FileStore' } ? K : never;
}[keyof T] &
  string;
/** The keys of a backend's components that are CrudApis. */
export type CrudKeys<T> = {
  [K in keyof T]-?: NonNullable<T[K]> extends Contracted ? K : never;
}[keyof T] &
  string;
type FunctionsOf<H> =
  NonNullable<H> extends { readonly __functions?: FunctionsContract<infer F> }
    ? FunctionsClient<F>
    : never;
// FunctionsApp keys with at least one HTTP function (a timer-only app has nothing to call).
type FunctionKeys<T> = {
  [K in keyof T]-?: NonNullable<T[K]> extends { readonly componentType: 'FunctionsApp' }
    ? keyof FunctionsOf<T[K]> extends never
      ? never
      : K
    : never;
}[keyof T] &
  string;
/** Whether a handle's CrudApi was defined with `realtime: true` (exactly: a `boolean` flag gives no methods). */
type IsRealtime<H> = ContractFlags<H>['realtime'];
/** Each hasMany relation of CrudApi handle `H` among components `T`: the children of one parent, as the child's list. */
export type ChildrenLists<T, H> = {
  readonly [N in keyof ChildrenMap<T, H>]: ListMethod<
    ChildSchema<ChildrenMap<T, H>[N]>,
    ExpandMap<T, ChildrenMap<T, H>[N]>,
    [id: string]
  >;
};
type ClientOfHandle<T, H> =
  NonNullable<H> extends { readonly __contract?: CrudContract<infer S, infer O> }
    ? CrudClient<S, O, ExpandMap<T, H>> &
        SearchMethods<S, O, DeclaresSearch<H>> &
        (IsRealtime<H> extends true ? RealtimeMethods<S, ExpandMap<T, H>> : unknown) &
        ChildrenLists<T, H>
    : never;

/**
 * The typed client of a backend: one property per CrudApi, FileStore and FunctionsApp component
 * key. `B` is `typeof backend` (or its
 * `components`).
 *
 * @example
 * ```ts
 * import { createClient } from '@atakora/component/client';
 * // `backend` is your defineBackend(…) value, from your backend.ts; only its type is used here.
 * const client: Client<typeof backend> = createClient<typeof backend>({
 *   baseUrls: { notes: 'http://127.0.0.1:7071/api/notes' },
 *   getToken: () => undefined,
 * });
 * ```
 */
export type Client<B> = {
  readonly [K in CrudKeys<ComponentsOf<B>>]: ClientOfHandle<ComponentsOf<B>, ComponentsOf<B>[K]>;
} & { readonly [K in FileKeys<ComponentsOf<B>>]: FileClient } & {
  readonly [K in FunctionKeys<ComponentsOf<B>>]: FunctionsOf<ComponentsOf<B>[K]>;
} & Omit<
    TenantMembers,
    CrudKeys<ComponentsOf<B>> | FileKeys<ComponentsOf<B>> | FunctionKeys<ComponentsOf<B>>
  >;

/**
 * Options of a FileStore client's `upload`.
 *
 * @example
 * ```ts
 * const options: UploadOptions = {
 *   onProgress: (sent, total) => {
 *     console.log(`${String(Math.round((100 * sent) / total))}%`);
 *   },
 * };
 * ```
 */
export interface UploadOptions {
  /** The file name kept with it; default the `File`'s own name, else `'file'`. */
  readonly name?: string;
  /** Called as bytes go out (browsers: every XHR progress event; elsewhere at the start and the end). */
  readonly onProgress?: (sentBytes: number, totalBytes: number) => void;
  readonly signal?: AbortSignal;
}

/**
 * The methods of a FileStore key of `createClient<typeof backend>()`: upload a `File`/`Blob` (declare it, PUT the
 * bytes to the short-lived upload URL, complete it), list, get (with a `downloadUrl`) and delete.
 *
 * @example
 * ```ts
 * async function attach(files: FileClient, file: Blob): Promise<string> {
 *   const meta = await files.upload(file);
 *   return (await files.get(meta.id)).downloadUrl;
 * }
 * ```
 */
export interface FileClient {
  upload(file: Blob, options?: UploadOptions): Promise<FileMetadata>;
  list(options?: PageOptions): ListResult<FileMetadata>;
  get(id: string, options?: ItemOptions): Promise<FileWithUrl>;
  delete(id: string, options?: ItemOptions): Promise<void>;
}

/**
 * `client.tenants`: the TenantAdmin API (`api/tenants`) — callers of the backend's own directory holding the
 * `TenantAdmin` app role; anyone else gets a `ProblemError` with code `tenant-admin-required`. Records keep their
 * ETag (`etagOf(record)`): pass the record as `ifMatch` to change only the version you read.
 *
 * @example
 * <!-- snippet: no-run (calls a deployed API) -->
 * ```ts
 * await client.tenants.create({ id: '72f988bf-86f1-41af-91ab-2d7cd011db47', plan: 'pro' });
 * const contoso = await client.tenants.get('72f988bf-86f1-41af-91ab-2d7cd011db47');
 * await client.tenants.update(contoso.id, { status: 'suspended' }, { ifMatch: contoso });
 * for await (const t of client.tenants.list()) console.log(t.id, t.status);
 * ```
 */
export interface TenantsClient {
  /** The registry by id, a page at a time (`first` per page, `after` a page's token). */
  list(options?: PageOptions): ListResult<TenantRecord>;
  get(id: string, options?: CallOptions): Promise<TenantRecord>;
  /**
   * Register a directory (409 `conflict` when it is registered; 400 `validation` for an unknown plan) — or, with
   * tenants by membership, create an organization `{ name, id? }` whose Owner you become.
   */
  create(
    registration: TenantRegistration | OrganizationCreation,
    options?: CallOptions,
  ): Promise<TenantRecord>;
  /** Merge a change (plan, name, status); `ifMatch` for optimistic concurrency (412 when stale). */
  update(id: string, patch: TenantPatch, options?: WriteOptions): Promise<TenantRecord>;
  /**
   * With tenants by membership: join organization `id` through its verified domain (one of `client.me.joinable()`)
   * — `{ status: 'joined', membership }` (`join: 'auto'`) or `{ status: 'pending', request }` (`join: 'request'`:
   * an Owner or an Admin answers). Refusals are `ProblemError`s (`email-not-verified`, `not-found`,
   * `already-a-member`, `join-request-exists`, `tenant-suspended`).
   */
  join(id: string, options?: CallOptions): Promise<JoinResult>;
}

/**
 * What `client.tenants.join(id)` gives: the membership (joined at once) or the pending request.
 *
 * @example
 * ```ts
 * const done = (r: JoinResult) => (r.status === 'joined' ? r.membership.roles : []);
 * ```
 */
export type JoinResult =
  | { readonly status: 'joined'; readonly membership: Membership }
  | { readonly status: 'pending'; readonly request: JoinRequest };

/**
 * `client.tenant.joinRequests` (tenants by membership; an Owner or an Admin): the pending requests to join the
 * organization the client acts in through its verified domain, and their answers — `approve(id)` makes the
 * requester a member with the domain's role, `decline(id)` drops the request (an `id` is the requester's user id).
 *
 * @example
 * <!-- snippet: no-run (calls a deployed API) -->
 * ```ts
 * for await (const r of client.tenant.joinRequests.list()) console.log(r.email, r.domain);
 * await client.tenant.joinRequests.approve('u-9');
 * ```
 */
export interface JoinRequestsClient {
  list(options?: PageOptions): ListResult<JoinRequest>;
  approve(id: string, options?: CallOptions): Promise<Membership>;
  decline(id: string, options?: CallOptions): Promise<void>;
}

/**
 * `client.tenant()`: `GET api/tenant` (the caller's own tenant, its plan's limits and usage); with tenants by
 * membership also what its Owners do with the organization the client acts in: `update({ name })` (an Owner or
 * Admin), `delete()` (an Owner: suspended at once, erased after `tenants.deleteAfterDays`) and `undelete()` (an
 * Owner, before the record's `deleteOn`).
 *
 * @example
 * ```ts
 * const close = async (t: TenantSelfClient) => (await t.delete()).deleteOn; // e.g. close(client.tenant)
 * ```
 */
export interface TenantSelfClient {
  (options?: CallOptions): Promise<Tenant>;
  update(patch: { readonly name: string }, options?: CallOptions): Promise<TenantRecord>;
  delete(options?: CallOptions): Promise<TenantRecord>;
  undelete(options?: CallOptions): Promise<TenantRecord>;
  /**
   * With tenants by membership: the organization's audit log (`GET api/tenant/audit`, Owners and Admins), newest
   * first, a page at a time, narrowed by `filter`.
   */
  audit(options?: AuditListOptions): ListResult<AuditEntry>;
  /** With tenants by membership: the organization's pending join requests (Owners and Admins). */
  readonly joinRequests: JoinRequestsClient;
  /** With tenants by membership: the organization's SCIM tokens (an Owner; docs/enterprise.md). */
  readonly scimTokens: ScimTokensClient;
  /** With tenants by membership: the organization's API keys (Owners and Admins; docs/integrations.md). */
  readonly apiKeys: ApiKeysClient;
  /** With tenants by membership: the organization's outbound webhooks (Owners and Admins; docs/integrations.md). */
  readonly webhooks: WebhooksClient;
  /**
   * With `mcp.authorization`: the agents every member connected to the organization (Owners and Admins;
   * docs/mcp.md).
   */
  readonly agents: AgentsClient;
}

/**
 * Options of `client.tenant.audit()`: entries per page (`first`, up to 1000), the page after a token (`after`), and
 * the fields to match exactly (`filter`: the action, the actor's id, the door, the target).
 *
 * @example
 * ```ts
 * const options: AuditListOptions = { first: 50, filter: { action: 'member.removed', via: 'api' } };
 * ```
 */
export interface AuditListOptions {
  readonly first?: number;
  readonly after?: string;
  readonly filter?: {
    readonly action?: AuditAction;
    readonly actor?: string;
    readonly via?: AuditVia;
    readonly target?: string;
  };
  readonly signal?: AbortSignal;
}

/**
 * `client.tenant.scimTokens` (tenants by membership, an Owner): `create({ name? })` answers `{ id, token, createdOn }`
 * — the token shown this once —, `list()` the tokens without their secrets, `revoke(id)` ends one at once.
 *
 * @example
 * ```ts
 * const { token } = await client.tenant.scimTokens.create({ name: 'Entra provisioning' });
 * ```
 */
export interface ScimTokensClient {
  create(token?: { readonly name?: string }, options?: CallOptions): Promise<CreatedScimToken>;
  list(options?: CallOptions): Promise<ScimToken[]>;
  revoke(id: string, options?: CallOptions): Promise<void>;
}

/**
 * `client.tenant.apiKeys` (tenants by membership, an Owner or an Admin): `create({ name, role, expiresInDays? })`
 * answers `{ id, name, role, key, expiresOn }` — the key shown this once —, `list()` the keys without it (prefix,
 * role, created, last used), `revoke(id)` ends one (on every instance within 30 s). A key is then the token of a
 * client of its own: `createClient(api, { getToken: () => key })`.
 *
 * @example
 * ```ts
 * // On an Owner's "New key" button (it reaches the deployed API): the key shown once, kept in the job's secrets.
 * const newKey = async (keys: ApiKeysClient) =>
 *   (await keys.create({ name: 'warehouse sync', role: 'Member', expiresInDays: 90 })).key; // e.g. newKey(client.tenant.apiKeys)
 * ```
 */
export interface ApiKeysClient {
  create(input: ApiKeyInput, options?: CallOptions): Promise<CreatedApiKey>;
  list(options?: CallOptions): Promise<ApiKey[]>;
  revoke(id: string, options?: CallOptions): Promise<void>;
}

/**
 * `client.tenant.webhooks` (tenants by membership, an Owner or an Admin): `create({ url, events })` answers `{ id,
 * secret, url, events }` — the `whsec_` secret shown this once —, `list()`, `get(id)`, `update(id, { url?, events?,
 * enabled? })`, `remove(id)`, `deliveries(id, { first? })` (the log, newest first), `retry(id, delivery)` and
 * `rotate(id)` (a new secret, the previous one still signing for a day).
 *
 * @example
 * ```ts
 * // On an Owner's "Add endpoint" button (it reaches the deployed API): the secret shown once, kept by the receiver.
 * const addEndpoint = async (hooks: WebhooksClient) =>
 *   (await hooks.create({ url: 'https://hooks.example.com/atakora', events: ['member.added'] })).secret; // e.g. addEndpoint(client.tenant.webhooks)
 * ```
 */
export interface WebhooksClient {
  create(input: WebhookInput, options?: CallOptions): Promise<CreatedWebhook>;
  list(options?: CallOptions): Promise<Webhook[]>;
  get(id: string, options?: CallOptions): Promise<Webhook>;
  update(id: string, patch: WebhookPatch, options?: CallOptions): Promise<Webhook>;
  remove(id: string, options?: CallOptions): Promise<void>;
  deliveries(
    id: string,
    options?: CallOptions & { readonly first?: number },
  ): Promise<WebhookDelivery[]>;
  retry(id: string, delivery: string, options?: CallOptions): Promise<WebhookDelivery>;
  /** A new signing secret, shown this once; the previous one signs beside it until `previousSecretExpiresOn`. */
  rotate(id: string, options?: CallOptions): Promise<RotatedWebhook>;
}

/**
 * What the client adds beside the component keys: `tenants` (the TenantAdmin API) and `tenant()` (`GET api/tenant`:
 * the caller's own directory, its plan's limits and usage), on a backend with a tenant registry.
 *
 * @example
 * ```ts
 * const planOf = async (members: TenantMembers) => (await members.tenant()).plan; // e.g. planOf(client)
 * ```
 */
export interface TenantMembers {
  readonly tenants: TenantsClient;
  readonly tenant: TenantSelfClient;
  /** With tenants by membership: the caller's own organizations. */
  readonly me: MeClient;
  /** With tenants by membership: the members of the organization the client acts in. */
  readonly members: MembersClient;
  /** With tenants by membership: the invitations of the organization the client acts in, and accepting one. */
  readonly invitations: InvitationsClient;
  /** With tenants by membership: the verified domains of the organization the client acts in. */
  readonly domains: DomainsClient;
  /** With subscriptions (Stripe): the billing of the organization the client acts in. */
  readonly billing: BillingClient;
}

/**
 * `client.billing` (subscriptions drive plans, docs/billing.md): the billing of the organization the client acts
 * in — `checkout(plan)` (an Owner) answers the URL of a Stripe Checkout Session on the plan's price (the server's),
 * `portal()` (an Owner) the URL of a Stripe Customer Portal session, `get()` (an Owner or an Admin) the plan, the
 * subscription and this period's invoice as Stripe previews it. Refusals are `ProblemError`s (`plan-not-for-sale`,
 * `billing-customer-missing`, `access-denied`, `billing-unavailable`).
 *
 * @example
 * ```ts
 * // On the Owner's "Upgrade" button (it reaches the deployed API, then Stripe):
 * async function upgrade() {
 *   const { url } = await client.billing.checkout('pro');
 *   location.assign(url); // Stripe sends the browser back with ?billing=success
 * }
 * // Back on the page: const { plan, status } = await client.billing.get(); // 'pro', 'active'
 * // A pricing page: const { items } = await client.billing.plans(); // [{ name: 'free', price: 0, seats: 3, … }]
 * ```
 */
export interface BillingClient {
  /** `GET api/plans`: every plan as the package it sells (any signed-in caller; in no organization). */
  plans(options?: CallOptions): Promise<PlanOfferList>;
  checkout(plan: string, options?: CallOptions): Promise<{ url: string }>;
  portal(options?: CallOptions): Promise<{ url: string }>;
  get(options?: CallOptions): Promise<TenantBillingView>;
}

/**
 * `client.domains` (tenants by membership): the verified domains of the organization the client acts in — add one
 * (an Owner; the answer's `txt` is the DNS record to publish), verify it once the record is published, set who joins
 * through it, list and remove (docs/enterprise.md).
 *
 * @example
 * <!-- snippet: no-run (calls a deployed API) -->
 * ```ts
 * const { txt } = await client.domains.add('contoso.com');
 * // publish txt.name = txt.value at the DNS host, then:
 * const { status } = await client.domains.verify('contoso.com'); // 'verified'
 * ```
 */
export interface DomainsClient {
  list(options?: CallOptions): Promise<OrganizationDomain[]>;
  add(domain: string, options?: CallOptions): Promise<OrganizationDomain>;
  get(domain: string, options?: CallOptions): Promise<OrganizationDomain>;
  verify(domain: string, options?: CallOptions): Promise<OrganizationDomain>;
  update(
    domain: string,
    patch: { readonly join?: DomainJoin; readonly role?: string },
    options?: CallOptions,
  ): Promise<OrganizationDomain>;
  remove(domain: string, options?: CallOptions): Promise<void>;
}

/**
 * `client.me` (tenants by membership): the organizations the caller belongs to, with their roles in each.
 *
 * @example
 * <!-- snippet: no-run (calls a deployed API) -->
 * ```ts
 * const { items: [first] } = await client.me.tenants();
 * const inOrg = createClient<typeof backend>({
 *   baseUrls: { notes: 'https://func-x.azurewebsites.net/api/notes' },
 *   getToken: () => undefined,
 *   ...(first ? { tenant: first.id } : {}),
 * });
 * ```
 */
export interface MeClient {
  /**
   * One page of the caller's organizations, `{ items, continuationToken }` as the route answers it (`first`: the
   * page size, default 100; `after`: the previous page's `continuationToken`).
   */
  tenants(options?: PageOptions): Promise<MyTenantPage>;
  /**
   * The organizations the caller may join through a verified domain its *verified* e-mail is on (exactly), those it
   * belongs to left out, each with the join mode, the role it gives and whether the caller's request is `pending`.
   */
  joinable(options?: CallOptions): Promise<JoinableOrganization[]>;
  /** With `mcp.authorization`: the agents the caller connected, in every organization (docs/mcp.md). */
  readonly agents: AgentsClient;
}

/**
 * `client.me.agents` and `client.tenant.agents` (`mcp.authorization`): the connected agents — hosted MCP clients a
 * person allowed into an organization on the consent page. `list()` answers the live grants (`GET api/me/agents`:
 * the caller's own in every organization; `GET api/tenant/agents`: every member's in the organization the client
 * acts in, an Owner or an Admin), never a token; `revoke(grant)` ends one (`DELETE …/{grant}`: its refresh refused
 * at once, its access tokens at the MCP door within 30 s), audited `agent.revoked`. Refusals are `ProblemError`s
 * (`not-found` for a grant not yours to revoke, `access-denied` for a Member at `tenant.agents`).
 *
 * @example
 * ```ts
 * // A settings page's "Connected agents": each with a Disconnect button.
 * const disconnectAll = async (agents: AgentsClient) => {
 *   for (const a of await agents.list()) await agents.revoke(a.id); // e.g. disconnectAll(client.me.agents)
 * };
 * ```
 */
export interface AgentsClient {
  list(options?: CallOptions): Promise<ConnectedAgent[]>;
  revoke(grant: string, options?: CallOptions): Promise<void>;
}

/**
 * `client.members` (tenants by membership): the members of the organization the client acts in
 * (`createClient({ tenant })`). Any member lists them; an Owner changes roles and removes members; any member may
 * remove themselves (leave). The last Owner can neither leave nor be demoted (`ProblemError` code `last-owner`).
 *
 * @example
 * <!-- snippet: no-run (calls a deployed API) -->
 * ```ts
 * for await (const m of client.members.list()) console.log(m.userId, m.roles);
 * await client.members.update('u-2', { roles: ['Admin'] });
 * await client.members.remove('u-3');
 * ```
 */
export interface MembersClient {
  list(options?: PageOptions): ListResult<Membership>;
  update(userId: string, patch: MemberPatch, options?: CallOptions): Promise<Membership>;
  remove(userId: string, options?: CallOptions): Promise<void>;
  /** The same as `remove`. */
  delete(userId: string, options?: CallOptions): Promise<void>;
}

/**
 * `client.invitations` (tenants by membership): invite by email into the organization the client acts in (an Owner or
 * an Admin), list, read and revoke invitations, and accept one (in no organization yet: the token names it). The
 * created invitation's `acceptUrl` carries its single-use token, shown once.
 *
 * @example
 * <!-- snippet: no-run (calls a deployed API) -->
 * ```ts
 * const { acceptUrl } = await client.invitations.create({ email: 'bob@example.com', roles: ['Member'] });
 * // …then Bob, signed in with that verified email, in his own client:
 * await client.invitations.accept(new URL(acceptUrl).searchParams.get('invitation') ?? '');
 * ```
 */
export interface InvitationsClient {
  create(invitation: InvitationRequest, options?: CallOptions): Promise<CreatedInvitation>;
  list(options?: PageOptions): ListResult<Invitation>;
  get(id: string, options?: CallOptions): Promise<Invitation>;
  revoke(id: string, options?: CallOptions): Promise<void>;
  /** The same as `revoke`. */
  delete(id: string, options?: CallOptions): Promise<void>;
  /**
   * Send the invitation again (`POST api/tenant/invitations/{id}/resend`): a new `acceptUrl` (the old link is void),
   * a new 7-day lifetime and, with `tenants.email`, the e-mail sent again with its `delivery`.
   */
  resend(id: string, options?: CallOptions): Promise<CreatedInvitation>;
  /** Join the invitation's organization (your verified email must be the invited one). */
  accept(token: string, options?: CallOptions): Promise<Membership>;
  /**
   * What an invitation link's token invites to — organization, inviter, roles, expiry, a hint of the email —
   * without signing in (a landing page's first call). 410 `invitation-expired` once used, revoked or expired.
   */
  preview(token: string, options?: CallOptions): Promise<InvitationPreview>;
}
