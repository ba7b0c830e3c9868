import type { InvocationContext } from '@azure/functions';
import type {
  DoorAnswer,
  DoorItemOptions,
  DoorListQuery,
  EntityDoor,
} from '../../contract/data-door.js';
import type { SearchBody } from '../../contract/search.js';
import { LIST_QUERY_PARAMETERS as Q } from '../../contract/paging.js';
import { RELATION_PARAMETERS as R } from '../../contract/relations.js';
import type { RuntimeEntity } from '../../model/runtime-manifest.js';
import type { Caller } from '../caller/caller-view.js';
import type { OperationInput, OperationTargetOf } from '../pipeline/operation-input.js';
import { runFor } from '../pipeline/serve.js';
import { doorAnswer, NOT_SERVED } from './door-answer.js';

/** One CrudApi's operations as the in-process entry keeps them: its entity, where its routes and children's run. */
export interface EntityRuns {
  readonly entity: RuntimeEntity;
  /** The collection's route without an `id`, the item's with one (crud/handlers.ts `target`). */
  readonly route: OperationTargetOf;
  readonly children: ReadonlyMap<string, OperationTargetOf>;
  /** The search route, when the CrudApi declares `search` (runtime/search/search-endpoint.ts). */
  readonly search?: OperationTargetOf | undefined;
}

/**
 * Whom an in-process call acts as: the caller the request that makes it resolved (its pipeline's caller and
 * registry stages), and that request's invocation (its log line and span join it).
 *
 * @example
 * ```ts
 * const as: RunAs = { caller: ctx.caller, invocation: ctx.invocation };
 * ```
 */
export interface RunAs {
  readonly caller: Caller;
  readonly invocation: InvocationContext | undefined;
}

type Query = Record<string, string>;

/** A list's options as the route's query parameters (`$filter`, `$orderby`, …, `pk`). */
function listQuery(q: DoorListQuery | undefined): Query {
  const query: Query = {};
  if (!q) return query;
  if (q.filter !== undefined) query[Q.filter] = q.filter;
  if (q.orderBy !== undefined)
    query[Q.orderBy] = typeof q.orderBy === 'string' ? q.orderBy : q.orderBy.join(',');
  if (q.select !== undefined) query[Q.select] = q.select.join(',');
  if (q.first !== undefined) query[Q.first] = String(q.first);
  if (q.after !== undefined) query[Q.after] = q.after;
  if (q.expand !== undefined) query[R.expand] = q.expand.join(',');
  if (q.count !== undefined) query[R.count] = String(q.count);
  if (q.partitionKey !== undefined) query['pk'] = q.partitionKey;
  return query;
}

/** An item operation's query (`pk`, `$expand`, `$select`). */
function itemQuery(o: DoorItemOptions | undefined): Query {
  const query: Query = {};
  if (o?.partitionKey !== undefined) query['pk'] = o.partitionKey;
  if (o?.expand !== undefined) query[R.expand] = o.expand.join(',');
  if (o?.select !== undefined) query[Q.select] = o.select.join(',');
  return query;
}

const ifMatch = (o: DoorItemOptions | undefined): Record<string, string> =>
  o?.ifMatch === undefined ? {} : { 'If-Match': o.ifMatch };

/**
 * One CrudApi's operations as one caller (contract/data-door.ts `EntityDoor`): each builds the operation's input
 * as data and runs its route's stages after the caller's (pipeline/serve.ts `runFor`), answering as data.
 *
 * @example
 * ```ts
 * const notes = new EntityCaller(runs, { caller, invocation });
 * const answer = await notes.get('42');
 * ```
 */
export class EntityCaller implements EntityDoor {
  constructor(
    private readonly runs: EntityRuns,
    private readonly as: RunAs,
  ) {}

  private async run(input: OperationInput, at = this.runs.route): Promise<DoorAnswer> {
    return doorAnswer(await runFor(at(input), this.as.caller, input, this.as.invocation));
  }

  list(query?: DoorListQuery): Promise<DoorAnswer> {
    return this.run({ method: 'GET', query: listQuery(query) });
  }

  get(id: string, options?: DoorItemOptions): Promise<DoorAnswer> {
    return this.run({ method: 'GET', id, query: itemQuery(options) });
  }

  async count(query?: Pick<DoorListQuery, 'filter' | 'partitionKey'>): Promise<DoorAnswer> {
    // `$count=true` on the smallest page: one count query and one page of one id, as the REST route answers it.
    const page = await this.list({
      ...(query?.filter === undefined ? {} : { filter: query.filter }),
      ...(query?.partitionKey === undefined ? {} : { partitionKey: query.partitionKey }),
      first: 1,
      select: ['id'],
      count: true,
    });
    if (!page.ok) return page;
    const counted = (page.body as { count?: unknown } | undefined)?.count;
    const count = typeof counted === 'number' ? counted : 0;
    return {
      ok: true,
      status: page.status,
      etag: undefined,
      body: count,
      json: JSON.stringify({ count }),
      headers: page.headers,
    };
  }

  aggregate(
    query: { readonly apply: string } & Pick<DoorListQuery, 'filter' | 'partitionKey'>,
  ): Promise<DoorAnswer> {
    // The list route with `$apply`: one GROUP BY query, answered `{ items }` as the REST route answers it.
    const q: Query = { [Q.apply]: query.apply };
    if (query.filter !== undefined) q[Q.filter] = query.filter;
    if (query.partitionKey !== undefined) q['pk'] = query.partitionKey;
    return this.run({ method: 'GET', query: q });
  }

  search(body: SearchBody & Pick<DoorListQuery, 'partitionKey'>): Promise<DoorAnswer> {
    // The search route's own run (POST api/<route>/search): the body as data, `pk` as a list's.
    const at = this.runs.search;
    if (!at) return Promise.resolve(NOT_SERVED);
    const { partitionKey, ...rest } = body;
    const query: Query = partitionKey === undefined ? {} : { pk: partitionKey };
    return this.run({ method: 'POST', query, body: rest }, at);
  }

  create(item: unknown, options?: DoorItemOptions): Promise<DoorAnswer> {
    return this.run({ method: 'POST', query: itemQuery(options), body: item });
  }

  replace(id: string, item: unknown, options?: DoorItemOptions): Promise<DoorAnswer> {
    return this.run({
      method: 'PUT',
      id,
      query: itemQuery(options),
      headers: ifMatch(options),
      body: item,
    });
  }

  update(id: string, patch: unknown, options?: DoorItemOptions): Promise<DoorAnswer> {
    return this.run({
      method: 'PATCH',
      id,
      query: itemQuery(options),
      headers: ifMatch(options),
      body: patch,
    });
  }

  delete(id: string, options?: DoorItemOptions): Promise<DoorAnswer> {
    return this.run({ method: 'DELETE', id, query: itemQuery(options), headers: ifMatch(options) });
  }

  children(relation: string, id: string, query?: DoorListQuery): Promise<DoorAnswer> {
    const at = this.runs.children.get(relation);
    if (!at) return Promise.resolve(NOT_SERVED);
    return this.run({ method: 'GET', id, query: listQuery(query) }, at);
  }
}
