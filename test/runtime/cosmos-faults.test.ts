import { type Container, CosmosClient } from '@azure/cosmos';
import type { TokenCredential } from '@azure/identity';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { AtakoraError } from '../../src/model/errors.js';
import {
  callCosmos,
  cosmosPolicyFromEnv,
  CosmosUnavailableError,
  DEFAULT_COSMOS_POLICY,
} from '../../src/runtime/data/cosmos-policy.js';
import { createCrudHandlers } from '../../src/runtime/crud/handlers.js';
import { createHealthHandler } from '../../src/runtime/health.js';
import { cosmosRegistryStore } from '../../src/runtime/tenants/registry-binding.js';
import { unavailableReason } from '../../src/runtime/data/cosmos-policy.js';
import { userEntity } from './support/entities.js';
import { type FaultProxy, startFaultProxy } from './support/fault-proxy.js';
import { apiFor, invoke } from './support/http.js';
import { type LocalCosmos, startLocalCosmos, testAgent } from './support/local-cosmos.js';
import { freePort } from './support/free-port.js';
import { deadline } from '../support/patience.js';

/**
 * The deadline each CRUD case waits out (a hung connection ends by nothing else): 400 ms on a quiet machine, scaled by
 * its slowness (test/support/patience.ts) up to the 800 ms it was before, so a loaded one keeps that margin for the
 * forwarded calls before and after. What is proven is which error ended each call (below), not how long it took.
 */
const POLICY = { timeoutMs: Math.min(deadline(400), 800), retryAfterSeconds: 2 };
/**
 * What ended a call, read from its log line rather than a clock (a loaded machine stretches any wall
 * time). The deadline's own error names it; once it fires, the call's answer is that error, so an answer that
 * names something else (a reset, a refusal) came before the deadline. Without the deadline the SDK waits 60 s on a
 * hung connection and retries a reset one for ~10 s: those answers would name neither.
 */
const DEADLINE_ERROR = `CosmosUnavailableError: no answer within ${POLICY.timeoutMs} ms`;
const CUT_SHORT = new RegExp(
  `^(${DEADLINE_ERROR}|CosmosUnavailableError: (ECONNRESET|ECONNREFUSED|EPIPE))$`,
);

let cosmos: LocalCosmos;
let proxy: FaultProxy;
let client: CosmosClient;
let viaProxy: Container;

beforeAll(async () => {
  cosmos = await startLocalCosmos();
  await cosmos.container('users', '/id');
  proxy = await startFaultProxy(cosmos.endpoint);
  // SDK defaults on purpose (60 s request timeout, its own retries): only the runtime's deadline cuts calls.
  client = new CosmosClient({
    endpoint: proxy.endpoint,
    key: 'dGVzdA==',
    agent: testAgent(),
    connectionPolicy: { enableEndpointDiscovery: false },
  });
  viaProxy = client.database('atakora').container('users');
});
afterAll(async () => {
  client?.dispose();
  await proxy?.stop();
  await cosmos?.stop();
});

function everyOperation(api: ReturnType<typeof apiFor>) {
  return {
    create: () => api.create({ name: 'n' }),
    list: () => api.list(),
    read: () => api.get('f1'),
    replace: () => api.put('f1', { name: 'r' }),
    merge: () => api.patch('f1', { age: 2 }),
    delete: () => api.del('f1'),
  };
}

describe('Cosmos DB down, refusing or hung: 503 + Retry-After within the deadline', () => {
  for (const mode of ['refuse', 'hang'] as const) {
    it(`${mode}: every CRUD operation answers 503 within the budget, then recovers`, async () => {
      const lines: { level: string; message: string }[] = [];
      const api = apiFor(
        userEntity,
        createCrudHandlers(userEntity, viaProxy, { cosmos: POLICY }),
        lines,
      );
      proxy.setMode('forward');
      expect((await api.put('f1', { name: 'before' })).status).toBeOneOf([200, 404]);
      if ((await api.get('f1')).status === 404)
        expect((await api.create({ id: 'f1', name: 'before' })).status).toBe(201);
      proxy.setMode(mode);
      const results = await Promise.all(
        Object.entries(everyOperation(api)).map(async ([op, run]) => ({ op, result: await run() })),
      );
      for (const { op, result } of results) {
        expect(result.status, `${mode} ${op}`).toBe(503);
        expect(result.headers.get('retry-after'), op).toBe('2');
        expect(result.body.type).toBe('urn:atakora:problem:database-unavailable');
        expect(result.text).not.toContain('127.0.0.1');
      }
      // The client only learns to retry; the log line says why — and that the deadline, not the SDK's own wait,
      // ended each call: a hung connection only by the deadline, a refusing one by it or by a reset before it.
      const logged = lines.map((l) => JSON.parse(l.message)).filter((e) => e.status === 503);
      expect(logged).toHaveLength(6);
      for (const entry of logged)
        expect(entry).toMatchObject({
          outcome: 'server_error',
          error: mode === 'hang' ? DEADLINE_ERROR : expect.stringMatching(CUT_SHORT),
        });
      proxy.setMode('forward');
      const after = await api.get('f1');
      expect(after.status).toBe(200);
    });
  }

  it('nothing listening (connection refused) is a 503 too', async () => {
    const dead = new CosmosClient({
      endpoint: `https://127.0.0.1:${await freePort()}`,
      key: 'dGVzdA==',
      agent: testAgent(),
      connectionPolicy: { enableEndpointDiscovery: false },
    });
    const lines: { level: string; message: string }[] = [];
    const api = apiFor(
      userEntity,
      createCrudHandlers(userEntity, dead.database('atakora').container('users'), {
        cosmos: POLICY,
      }),
      lines,
    );
    for (const [op, run] of Object.entries(everyOperation(api))) {
      const result = await run();
      expect(result.status, op).toBe(503);
      expect(result.headers.get('retry-after')).toBe('2');
    }
    // Refused at once (the SDK does not retry a refused connection) or cut by the deadline: never a wait after it.
    const logged = lines.map((l) => JSON.parse(l.message)).filter((e) => e.status === 503);
    expect(logged).toHaveLength(6);
    for (const entry of logged) expect(entry.error).toMatch(CUT_SHORT);
    dead.dispose();
  });
});

describe('GET api/health within its budget', () => {
  it('counts token acquisition in the budget and names no host, database or container', async () => {
    // The identity endpoint is down and never answers: token acquisition hangs.
    const hangingCredential: TokenCredential = { getToken: () => new Promise(() => undefined) };
    const aad = new CosmosClient({
      endpoint: cosmos.endpoint,
      aadCredentials: hangingCredential,
      agent: testAgent(),
      connectionPolicy: { enableEndpointDiscovery: false },
    });
    const handler = createHealthHandler(
      [
        {
          name: `${new URL(cosmos.endpoint).host}/atakora/users`,
          container: cosmos.client.database('atakora').container('users'),
        },
        {
          name: `${new URL(cosmos.endpoint).host}/secret-db/secret-coll`,
          container: aad.database('secret-db').container('secret-coll'),
        },
        {
          name: `${new URL(proxy.endpoint).host}/hung-db/hung-coll`,
          container: client.database('hung-db').container('hung-coll'),
        },
      ],
      { timeoutMs: 500 },
    );
    proxy.setMode('hang');
    const lines: { level: string; message: string }[] = [];
    // No clock: token acquisition that never ends and a connection that never answers can only be ended by the
    // probe's deadline (the SDK's own timeout does not cover token acquisition), so an answer at all is the proof,
    // and 'timeout' is the deadline's reason (health.ts: an unavailable error without a cause).
    const result = await invoke(handler, 'GET', 'health', {}, lines);
    proxy.setMode('forward');
    expect(result.status).toBe(503);
    expect(result.headers.get('retry-after')).toBe('1');
    expect(result.body.checks).toEqual([
      expect.objectContaining({ name: 'container-1', status: 'ok' }),
      expect.objectContaining({ name: 'container-2', status: 'unavailable', reason: 'timeout' }),
      expect.objectContaining({ name: 'container-3', status: 'unavailable', reason: 'timeout' }),
    ]);
    for (const secret of [
      '127.0.0.1',
      'atakora',
      'users',
      'secret-db',
      'secret-coll',
      'hung-db',
      'hung-coll',
      String(new URL(cosmos.endpoint).port),
    ]) {
      expect(result.text).not.toContain(secret);
    }
    // The operator still learns which container failed, from the log.
    expect(lines.some((l) => l.message.includes('secret-db/secret-coll'))).toBe(true);
    aad.dispose();
  });
});

describe('the call policy is configurable', () => {
  it('reads ATAKORA_COSMOS_TIMEOUT_MS, defaults to 10 s, refuses nonsense with RUNTIME_CONFIG_INVALID', () => {
    expect(cosmosPolicyFromEnv({})).toEqual(DEFAULT_COSMOS_POLICY);
    expect(DEFAULT_COSMOS_POLICY.timeoutMs).toBe(10_000);
    expect(cosmosPolicyFromEnv({ ATAKORA_COSMOS_TIMEOUT_MS: '2500' }).timeoutMs).toBe(2500);
    for (const bad of ['abc', '10', '500000', '1.5e3']) {
      expect(() => cosmosPolicyFromEnv({ ATAKORA_COSMOS_TIMEOUT_MS: bad }), bad).toThrow(
        AtakoraError,
      );
    }
  });

  it('passes client errors through untouched, wraps network errors, and survives a call that throws at once', async () => {
    const conflict = Object.assign(new Error('conflict'), { code: 409 });
    await expect(callCosmos(POLICY, () => Promise.reject(conflict))).rejects.toBe(conflict);
    const reset = Object.assign(new Error('socket hang up'), { code: 'ECONNRESET' });
    await expect(callCosmos(POLICY, () => Promise.reject(reset))).rejects.toMatchObject({
      name: 'CosmosUnavailableError',
      reason: 'ECONNRESET',
    });
    const bug = new TypeError('bug');
    await expect(
      callCosmos({ timeoutMs: 50, retryAfterSeconds: 1 }, () => {
        throw bug;
      }),
    ).rejects.toBe(bug);
    // Had the deadline's timer survived the synchronous throw, its rejection would surface unhandled here.
    await new Promise((r) => setTimeout(r, 100));
    await expect(
      callCosmos({ timeoutMs: 50, retryAfterSeconds: 1 }, () => new Promise(() => undefined)),
    ).rejects.toBeInstanceOf(CosmosUnavailableError);
  });
});

describe('the tenant registry under a hung Cosmos DB', () => {
  it('its read has the runtime deadline: refused as unavailable (the stage answers 503), not left hanging', async () => {
    const store = cosmosRegistryStore(client.database('atakora').container('users'), {
      timeoutMs: 300,
      retryAfterSeconds: 1,
    });
    proxy.setMode('hang');
    try {
      const error = await store.read('contoso').then(
        () => undefined,
        (e: unknown) => e,
      );
      expect(unavailableReason(error)).toBeDefined();
    } finally {
      proxy.setMode('forward');
    }
  });
});
