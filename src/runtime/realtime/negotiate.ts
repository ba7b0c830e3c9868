import type { HttpResponseInit } from '@azure/functions';
import { randomUUID } from 'node:crypto';
import type { RuntimeAuth, RuntimeEntity } from '../../model/runtime-manifest.js';
import { hidesOwners } from '../access/owner-privacy.js';
import type { Caller, Endpoint } from '../pipeline/context.js';
import type { RuntimeTenantRegistry } from '../../model/runtime-manifest.js';
import { cosmosErrorResponse } from '../http/cosmos-errors.js';
import { jsonResponse, onlyMethod, problemResponse } from '../http/response.js';
import { withLogNote } from '../http/log.js';
import { callerGroups, epochOf, tenantGroup, tokenMinutes } from './audience.js';
import { memberGroup } from './member-group.js';
import { boundsOf, overBound } from './connection-bounds.js';
import type { ConnectionLedger } from './connection-ledger.js';
import { connectionUserId } from './connection-user.js';
import type { RealtimeService } from './service.js';
import type { Negotiated } from '../../contract/realtime.js';

/** The tenant part of an anonymous caller's connection user id (no registry: each token bounded on its own). */
const ANONYMOUS_TENANT = 'anonymous';

/** How long negotiate waits for the service to mint a token before answering 503. */
const MINT_TIMEOUT_MS = 10_000;

/**
 * The live connections the service's events recorded (service-events.ts) and the tenant registry (plans, per-user
 * bound) where one exists; without one, the ledger is this instance's (instance-ledger.ts) and the bound the default
 * per caller.
 */
export interface NegotiateBounds {
  readonly registry?: RuntimeTenantRegistry | undefined;
  readonly ledger: ConnectionLedger;
}

/**
 * The negotiate endpoint of one Function App (answering {@link Negotiated}): behind the CRUD admission (signed in, allowed directory), it lists
 * the caller's groups for every realtime entity of the app — chosen here from the caller's tenant, `oid` and roles
 * by the entities' read rules (realtime/audience.ts), never asked of the client — and has the service mint a token
 * for exactly those groups, with no role (so no join, leave or send), for at most 60 minutes. A caller who may read
 * none of them gets the 403 of the first (nothing minted). With a tenant registry (`bounds`), a caller whose
 * tenant's live connections reach its plan's `realtimeConnections`, or whose own reach the per-user bound, gets 429
 * `too-many-connections` (counted from the `connection` items the service's events write: a token never used holds
 * no place, a closed socket frees its own); the token's `userId` names tenant and user (connection-user.ts) and it
 * joins the tenant's group (closed on suspension). The service's `connect` event checks the same bounds again for
 * each socket, so a token reused for many sockets gains nothing.
 *
 * @example
 * ```ts
 * import { app } from '@azure/functions';
 * app.http('realtime-negotiate', {
 *   route: 'realtime/negotiate',
 *   methods: ['POST'],
 *   handler: serve(negotiateEndpoint(realtimeEntities, service, policy)),
 * });
 * ```
 */
export function negotiateEndpoint(
  entities: readonly RuntimeEntity[],
  service: Pick<RealtimeService, 'clientUrl'>,
  policy: RuntimeAuth | undefined,
  now: () => number = Date.now,
  bounds?: NegotiateBounds,
): Endpoint<null> {
  return {
    policy,
    // Realtime is the plan's `realtime` feature: no token is minted for a plan without it (the features stage).
    feature: 'realtime',
    route: onlyMethod('POST'),
    handle: (ctx) => negotiate(ctx.caller, entities, service, policy, now(), bounds),
  };
}

/** The caller's groups of every realtime entity, and a token minted for exactly those. */
async function negotiate(
  caller: Caller,
  entities: readonly RuntimeEntity[],
  service: Pick<RealtimeService, 'clientUrl'>,
  policy: RuntimeAuth | undefined,
  t: number,
  bounds: NegotiateBounds | undefined,
): Promise<HttpResponseInit> {
  const epoch = epochOf(t);
  const groups: string[] = [];
  const readable: Record<string, string> = {};
  let refusal: HttpResponseInit | undefined;
  for (const entity of entities) {
    const tenant = caller.tenantFor(entity);
    if (!tenant.ok) {
      refusal ??= tenant.response;
      continue;
    }
    const mine = callerGroups(
      entity,
      caller.rulesCaller(entity),
      tenant.value?.id,
      hidesOwners(entity, policy),
      epoch,
    );
    if (mine.length > 0) readable[entity.route] = entity.componentId;
    groups.push(...mine);
  }
  if (groups.length === 0)
    return (
      refusal ??
      problemResponse(
        'access-denied',
        `You may read none of the realtime entities (${entities.map((e) => e.componentId).join(', ')}): ` +
          'no access rule gives you read or list.',
        { operation: 'read', rules: [] },
      )
    );
  let userId = caller.id;
  const registered = caller.registered;
  let tenant = registered?.record.id ?? caller.directory;
  // Without a registry an anonymous caller (a public read rule) is bounded per token: a user id of its own.
  if (bounds && !bounds.registry && userId === undefined) {
    tenant ??= ANONYMOUS_TENANT;
    userId = `token-${randomUUID()}`;
  }
  if (bounds && userId !== undefined && tenant !== undefined) {
    try {
      const counts = await bounds.ledger.count(tenant, userId);
      const refused = overBound(counts, boundsOf(bounds.registry, registered?.record));
      if (refused) return refused;
    } catch (e) {
      const response = cosmosErrorResponse(e, 'the usage ledger');
      if (response) return response;
      throw e;
    }
    // Tenants by membership: the member's own group too, closed when they are removed or their roles change.
    if (bounds.registry?.membership) groups.push(memberGroup(tenant, userId));
    // The tenant's group is closed on its suspension: only a registry suspends.
    if (bounds.registry) groups.push(tenantGroup(tenant));
    userId = connectionUserId(tenant, userId);
  }
  const minutes = tokenMinutes(t);
  let url: string;
  try {
    url = await withTimeout(
      service.clientUrl({ ...(userId === undefined ? {} : { userId }), groups, minutes }),
      MINT_TIMEOUT_MS,
    );
  } catch (e) {
    return withLogNote(
      problemResponse(
        'realtime-unavailable',
        'The realtime service could not open a connection for you now; retry shortly.',
        { headers: { 'Retry-After': '5' } },
      ),
      `token mint failed: ${e instanceof Error ? e.message : String(e)}`,
    );
  }
  const body: Negotiated = {
    url,
    expiresOn: new Date(t + minutes * 60_000).toISOString(),
    entities: readable,
  };
  // The URL carries a bearer token: no cache keeps it.
  return jsonResponse(200, body, { 'Cache-Control': 'no-store' });
}

function withTimeout<T>(p: Promise<T>, ms: number): Promise<T> {
  return new Promise<T>((resolve, reject) => {
    const timer = setTimeout(() => {
      reject(new Error(`no answer in ${String(ms)} ms`));
    }, ms);
    p.then(
      (v) => {
        clearTimeout(timer);
        resolve(v);
      },
      (e: unknown) => {
        clearTimeout(timer);
        reject(e instanceof Error ? e : new Error(String(e)));
      },
    );
  });
}
