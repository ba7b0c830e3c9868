/**
 * The real side of the plans model (plans.model.test.ts): a registry backend of two CrudApis over the local Cosmos
 * DB server — notes confined to each tenant (`/tenantId`) and shared notes every admitted directory may change —
 * with the run's plans in the registry, its own ledger instance and the meter's and registry's clock injected (no
 * timer, no wall clock). Ids are of one length (tenants, users, items), so an item's stored size is a constant of
 * its entity plus its title's length: the model learns the constant from one probe create per entity.
 */
import type { HttpFunctionOptions, HttpHandler } from '@azure/functions';
import type { Container } from '@azure/cosmos';
import type {
  RuntimeEntity,
  RuntimeManifest,
  RuntimeTenantPlan,
} from '../../src/model/runtime-manifest.js';
import { callerPolicyOf } from '../../src/runtime/caller/tenant-source.js';
import { registerCrudRoutes } from '../../src/runtime/register-routes.js';
import { MCP_FUNCTION } from '../../src/contract/mcp/protocol.js';
import { type CrudToolAction, crudToolName } from '../../src/model/mcp-tool-names.js';
import type { HourItem } from '../../src/runtime/usage/usage-items.js';
import { boundUsageMeter } from '../../src/runtime/usage/usage-binding.js';
import { cosmosUsageStore } from '../../src/runtime/usage/usage-store.js';
import { principalHeader } from '../runtime/support/built-app.js';
import { noteEntity, settings } from '../runtime/support/entities.js';
import { invoke, type Reply } from '../runtime/support/http.js';
import { afterAll, beforeAll } from 'vitest';
import { type LocalCosmos, startLocalCosmos } from '../runtime/support/local-cosmos.js';
import type { ModelPlan } from './plans-reference.js';
import { registryAuth } from '../runtime/support/registry-auth.js';
import { searchFunctionName, searchRoute } from '../../src/contract/search.js';
import { InProcessRoutes } from '../../src/runtime/in-process/routes.js';
import type { RealtimeHub } from '../../src/cli/dev/realtime/hub.js';
import { REALTIME_NEGOTIATE_FUNCTION } from '../../src/contract/routes.js';
import { REALTIME_HUB } from '../../src/model/runtime-manifest.js';
import { Publisher } from '../../src/runtime/realtime/publisher.js';
import { webPubSubService } from '../../src/runtime/realtime/service.js';
import { type DoorCall, viaDataGate } from './doors.js';

/** The tenants' notes, searchable by title (`POST api/notes/search`, MCP's `Note_search`). */
export const plansNoteEntity: RuntimeEntity = {
  ...noteEntity,
  search: { text: { fields: ['title'], language: 'en-US' } },
};

/** Notes every admitted directory may create, change and delete (the default rule: any signed-in caller). */
export const sharedNoteEntity: RuntimeEntity = {
  ...plansNoteEntity,
  componentId: 'SharedNoteApi',
  entityName: 'SharedNote',
  route: 'shared-notes',
  partitionKey: '/id',
  tenancy: 'shared',
  settings: settings('SHARED_NOTE_API'),
};

/** Which of the two entities a request is about. */
export type Kind = 'own' | 'shared';

/**
 * Which door a request comes through: the REST route, an MCP tool call of it (`api/mcp`), or a `dataOf` call in a
 * gated function's code (the function's own request, then the in-process operation).
 */
export type Door = 'rest' | 'mcp' | 'data';

/** An MCP message the endpoint answers itself (a notification: `notifications/initialized`, answered 202). */
export type McpMessage = 'tools/list' | 'ping' | 'initialize' | 'notification';

/**
 * A reply as the plans model reads it: through the data door, `gate` is the function's own request when the gate
 * let its code run (then the reply is its `dataOf` call's); each is a pass of the pipeline of its own.
 */
export type DoorReply = Reply & { readonly gate?: Reply };

type Body = Record<string, unknown>;

/** The containers of the plans model, made once per file. */
export interface PlansContainers {
  readonly registry: Container;
  readonly usage: Container;
  readonly notes: Container;
  readonly shared: Container;
}

/**
 * The run's containers on `cosmos`.
 *
 * @example
 * ```ts
 * const containers = await plansContainers(await startLocalCosmos({ plain: true }));
 * ```
 */
export async function plansContainers(cosmos: LocalCosmos): Promise<PlansContainers> {
  return {
    registry: await cosmos.container('tenants', '/id'),
    usage: await cosmos.container('usage', '/tenant'),
    notes: await cosmos.container(noteEntity.componentId, '/tenantId'),
    shared: await cosmos.container(sharedNoteEntity.componentId, '/id'),
  };
}

/**
 * A test file's local Cosmos DB server and the plans containers on it: started before its tests, stopped after
 * them. The getter gives the containers once started.
 *
 * @example
 * ```ts
 * const containers = plansFile();
 * it('…', async () => plansRuntime(containers(), 1, plans, undefined, () => now));
 * ```
 */
export function plansFile(): () => PlansContainers {
  let cosmos: LocalCosmos | undefined;
  let containers: PlansContainers | undefined;
  beforeAll(async () => {
    cosmos = await startLocalCosmos({ plain: true });
    containers = await plansContainers(cosmos);
  });
  afterAll(async () => cosmos?.stop());
  return () => {
    if (!containers) throw new Error('the plans containers are made in beforeAll');
    return containers;
  };
}

const pad = (n: number, width: number) => String(n).padStart(width, '0');

/**
 * The runtime of run `run`: three tenants on `plans` (and the home directory on an unbounded default plan, which
 * makes the probes), `perUser` the per-caller rate, the clock `now()`.
 */
export async function plansRuntime(
  c: PlansContainers,
  run: number,
  plans: readonly ModelPlan[],
  perUser: number | undefined,
  now: () => number,
  /** The tenants' notes' access rules (the features model's: a rule on an application feature). */
  access?: RuntimeEntity['access'],
  /** A loopback Web PubSub hub: the tenants' notes are realtime and `negotiate` reaches it (the features model). */
  hub?: RealtimeHub,
) {
  const r = pad(run, 4);
  const names = plans.map((_, i) => `r${r}-p${i}`);
  const tenants = plans.map((_, i) => `r${r}-t${i}`);
  // The home directory's id is as long as the tenants': a shared item's creator is stamped in it.
  const home = `r${r}-hm`;
  const auth = callerPolicyOf({
    version: 1,
    backendId: 'plans',
    entities: [],
    auth: registryAuth(home, {
      plans: {
        ...Object.fromEntries(plans.map((p, i) => [names[i]!, p as RuntimeTenantPlan])),
        [`r${r}-open`]: {},
      },
      defaultPlan: `r${r}-open`,
      ...(perUser !== undefined ? { perUser: { requestsPerMinute: perUser } } : {}),
    }),
  });
  for (const [i, id] of tenants.entries())
    await c.registry.items.upsert({
      id,
      plan: names[i],
      status: 'active',
      createdOn: '2026-01-01T00:00:00.000Z',
      updatedOn: '2026-01-01T00:00:00.000Z',
    });
  // Both CrudApis are MCP tools too, writes included: a request may come through either door.
  const manifest: RuntimeManifest = {
    version: 1,
    backendId: 'plans',
    entities: [
      {
        ...plansNoteEntity,
        ...(access ? { access } : {}),
        ...(hub ? { realtime: true as const } : {}),
      },
      sharedNoteEntity,
    ].map((e) => ({ ...e, mcp: 'readwrite' as const })),
    auth,
    mcp: { writes: true },
    ...(hub ? { realtime: { hub: REALTIME_HUB } } : {}),
  };
  const service = hub
    ? webPubSubService({ endpoint: hub.endpoint, hub: REALTIME_HUB, credential: { key: hub.key } })
    : undefined;
  const fns = new Map<string, HttpFunctionOptions>();
  const inProcess = new InProcessRoutes();
  registerCrudRoutes({ http: (name, o) => fns.set(name, o) }, manifest, {
    containerFor: (e) => (e.componentId === sharedNoteEntity.componentId ? c.shared : c.notes),
    caller: auth,
    tenantRegistry: { now },
    usageLedger: {
      store: cosmosUsageStore(c.usage),
      instance: `plans-${run}`,
      now,
      flushIntervalMs: 0,
      // A ledger call that fails here is a fault of the test's own server: seen, not absorbed.
      onError: (e) => {
        throw e;
      },
    },
    inProcess,
    ...(service ? { realtime: { service, publisher: new Publisher(service) } } : {}),
  });
  const handler = (name: string) => fns.get(name)!.handler as HttpHandler;
  const entityOf = (kind: Kind) => (kind === 'shared' ? sharedNoteEntity : plansNoteEntity);
  const collection = (kind: Kind) => handler(`${entityOf(kind).componentId}-collection`);
  const item = (kind: Kind) => handler(`${entityOf(kind).componentId}-item`);
  // Tenant -1 is the home directory.
  const headers = (t: number, u: number) =>
    principalHeader([
      ['tid', t < 0 ? home : tenants[t]!],
      ['oid', `u${u}`],
    ]);
  let ids = 0;
  let rpc = 0;
  /**
   * One tool call of `kind`'s CrudApi through `api/mcp` as a REST reply: the tool's result as the route's answer
   * (`served` on success, the problem's status on a tool error), or the POST's own refusal as it came.
   */
  const viaMcp = async (
    kind: Kind,
    t: number,
    u: number,
    action: CrudToolAction,
    args: Record<string, unknown>,
    served: number,
  ): Promise<Reply> => {
    const r = await invoke(handler(MCP_FUNCTION), 'POST', 'mcp', {
      headers: { ...headers(t, u), accept: 'application/json, text/event-stream' },
      body: {
        jsonrpc: '2.0',
        id: ++rpc,
        method: 'tools/call',
        params: { name: crudToolName(entityOf(kind).entityName, action), arguments: args },
      },
    });
    const result = (
      r.body as { result?: { isError?: boolean; structuredContent: Body } } | undefined
    )?.result;
    if (r.status !== 200 || !result) return r;
    const structured = result.structuredContent;
    const status = result.isError ? Number(structured['status']) : served;
    const body = result.isError || action === 'list' ? structured : structured['item'];
    return { status, headers: new Headers(), text: JSON.stringify(body ?? null), body };
  };
  /**
   * One `dataOf` call of `kind`'s CrudApi in a function gated as a FunctionsApp's is (its gate on the same policy,
   * the services the CRUD routes bound): the gate's refusal as it came, else the call's answer with the function's
   * own request as `gate`.
   */
  const viaData = async (kind: Kind, t: number, u: number, call: DoorCall): Promise<DoorReply> => {
    const { gate, answer } = await viaDataGate(
      { inProcess, policy: auth },
      headers(t, u),
      entityOf(kind).componentId,
      call,
    );
    return answer ? { ...answer, gate } : gate;
  };
  /** One message to `api/mcp` the endpoint answers itself, as it came. */
  const mcpMessage = (t: number, u: number, message: McpMessage): Promise<Reply> => {
    const body =
      message === 'notification'
        ? { jsonrpc: '2.0', method: 'notifications/initialized' }
        : {
            jsonrpc: '2.0',
            id: ++rpc,
            method: message,
            ...(message === 'initialize'
              ? {
                  params: {
                    protocolVersion: '2025-06-18',
                    capabilities: {},
                    clientInfo: { name: 'plans-model', version: '1' },
                  },
                }
              : {}),
          };
    return invoke(handler(MCP_FUNCTION), 'POST', 'mcp', {
      headers: { ...headers(t, u), accept: 'application/json, text/event-stream' },
      body,
    });
  };
  /** One request of `kind`'s item route, as the host would route it. */
  const onItem = (kind: Kind, method: string, t: number, u: number, id: string, body?: object) =>
    invoke(item(kind), method, `${entityOf(kind).route}/${id}`, {
      headers: headers(t, u),
      params: { id },
      ...(body ? { body } : {}),
    });
  return {
    tenants,
    home,
    planNames: names,
    /** The MCP endpoint's handler and a caller's sign-in headers (tenant -1: the home directory), for a client. */
    mcpHandler: handler(MCP_FUNCTION),
    headersOf: headers,
    meter: boundUsageMeter(auth.registry!)!,
    /** A new item id, as long as every other (the run's number in it: the shared container outlives runs). */
    nextId: (kind: Kind) => `${kind === 'own' ? 'n' : 's'}${r}-${pad(++ids, 5)}`,
    mcpMessage,
    /** `POST api/realtime/negotiate` as tenant `t`'s user `u` (a hub given). */
    negotiate: (t: number, u: number): Promise<Reply> =>
      invoke(handler(REALTIME_NEGOTIATE_FUNCTION), 'POST', 'realtime/negotiate', {
        headers: headers(t, u),
      }),
    list: (kind: Kind, t: number, u: number, via: Door = 'rest'): Promise<DoorReply> =>
      via === 'mcp'
        ? viaMcp(kind, t, u, 'list', {}, 200)
        : via === 'data'
          ? viaData(kind, t, u, { op: 'list', expand: [], count: false, onePage: true })
          : invoke(collection(kind), 'GET', entityOf(kind).route, { headers: headers(t, u) }),
    create: (
      kind: Kind,
      t: number,
      u: number,
      id: string,
      size: number,
      via: Door = 'rest',
    ): Promise<DoorReply> =>
      via === 'mcp'
        ? viaMcp(kind, t, u, 'create', { id, title: 'x'.repeat(size) }, 201)
        : via === 'data'
          ? viaData(kind, t, u, { op: 'create', body: { id, title: 'x'.repeat(size) } })
          : invoke(collection(kind), 'POST', entityOf(kind).route, {
              headers: headers(t, u),
              body: { id, title: 'x'.repeat(size) },
            }),
    /** One search of `kind`'s items by a word of their titles: a request of its own through either door. */
    search: (kind: Kind, t: number, u: number, via: Door = 'rest'): Promise<DoorReply> =>
      via === 'mcp'
        ? viaMcp(kind, t, u, 'search', { text: 'x' }, 200)
        : via === 'data'
          ? viaData(kind, t, u, { op: 'search', body: { text: 'x' } })
          : invoke(
              handler(searchFunctionName(entityOf(kind).componentId)),
              'POST',
              searchRoute(entityOf(kind).route),
              {
                headers: headers(t, u),
                body: { text: 'x' },
              },
            ),
    replace: (kind: Kind, t: number, u: number, id: string, size: number): Promise<Reply> =>
      onItem(kind, 'PUT', t, u, id, { title: 'x'.repeat(size) }),
    update: (
      kind: Kind,
      t: number,
      u: number,
      id: string,
      size: number,
      via: Door = 'rest',
    ): Promise<DoorReply> =>
      via === 'mcp'
        ? viaMcp(kind, t, u, 'update', { id, patch: { title: 'x'.repeat(size) } }, 200)
        : via === 'data'
          ? viaData(kind, t, u, { op: 'update', id, body: { title: 'x'.repeat(size) } })
          : onItem(kind, 'PATCH', t, u, id, { title: 'x'.repeat(size) }),
    remove: (
      kind: Kind,
      t: number,
      u: number,
      id: string,
      via: Door = 'rest',
    ): Promise<DoorReply> =>
      via === 'mcp'
        ? viaMcp(kind, t, u, 'delete', { id }, 204)
        : via === 'data'
          ? viaData(kind, t, u, { op: 'delete', id })
          : onItem(kind, 'DELETE', t, u, id),
  };
}

/** The runtime of one run of the plans model. */
export type PlansRuntime = Awaited<ReturnType<typeof plansRuntime>>;

/** A problem's type without its URN prefix. */
export const problemCode = (reply: Reply) =>
  (reply.body?.type as string | undefined)?.replace('urn:atakora:problem:', '');

/**
 * The ledger's `hour` items of `tenant`.
 *
 * @example
 * ```ts
 * const items = await hourItems(usage, 'r0001-t0');
 * ```
 */
export async function hourItems(usage: Container, tenant: string): Promise<HourItem[]> {
  const { resources } = await usage.items
    .query<HourItem>({
      query: "SELECT * FROM c WHERE c.tenant = @t AND c.kind = 'hour'",
      parameters: [{ name: '@t', value: tenant }],
    })
    .fetchAll();
  return resources;
}
