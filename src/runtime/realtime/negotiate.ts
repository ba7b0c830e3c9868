import type { HttpResponseInit } from '@azure/functions';
import type { RuntimeAuth, RuntimeEntity } from '../../model/runtime-manifest.js';
import { hidesOwners } from '../access/owner-privacy.js';
import type { CallerView, Endpoint } from '../pipeline/context.js';
import { jsonResponse, methodNotAllowed, problemResponse } from '../http/response.js';
import { withLogNote } from '../http/log.js';
import { callerGroups, epochOf, tokenMinutes } from './audience.js';
import type { RealtimeService } from './service.js';
import type { Negotiated } from '../../contract/realtime.js';

/** How long negotiate waits for the service to mint a token before answering 503. */
const MINT_TIMEOUT_MS = 10_000;

/**
 * The negotiate endpoint of one Function App (answering {@link Negotiated}): behind the CRUD admission (signed in, allowed directory), it lists
 * the caller's groups for every realtime entity of the app — chosen here from the caller's tenant, `oid` and roles
 * by the entities' read rules (realtime/audience.ts), never asked of the client — and has the service mint a token
 * for exactly those groups, with no role (so no join, leave or send), for at most 60 minutes. A caller who may read
 * none of them gets the 403 of the first (nothing minted).
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
): Endpoint<null> {
  return {
    policy,
    route: (ctx) =>
      ctx.method === 'POST'
        ? { ok: true, value: null }
        : methodNotAllowed(['POST'], ctx.request.method),
    handle: (ctx) => negotiate(ctx.caller, entities, service, policy, now()),
  };
}

/** The caller's groups of every realtime entity, and a token minted for exactly those. */
async function negotiate(
  caller: CallerView,
  entities: readonly RuntimeEntity[],
  service: Pick<RealtimeService, 'clientUrl'>,
  policy: RuntimeAuth | undefined,
  t: number,
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
  const userId = caller.id;
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
