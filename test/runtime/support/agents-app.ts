// The runtime of an organizations backend that is its own authorization server for the MCP door (mcp.authorization),
// over the local Cosmos DB: notes an agent may use, organizations on a plan with and without `mcp`, an agent's Client
// ID Metadata Document on a loopback HTTPS host (dev's loopback certificate, trusted as dev trusts it), and a fetch
// that hands each request to the function its path names — what the official MCP SDK's OAuth client talks to.
import { createHash, randomBytes } from 'node:crypto';
import { createServer, type Server } from 'node:https';
import type { AddressInfo } from 'node:net';
import type { TokenCredential } from '@azure/core-auth';
import type { Container } from '@azure/cosmos';
import type {
  HttpFunctionOptions,
  HttpHandler,
  HttpResponseInit,
  TimerFunctionOptions,
} from '@azure/functions';
// The class as every loader of this file sees it (the benches load it too).
import { HttpRequest } from '../../support/azure-functions.js';
import {
  agentProtectedResource,
  authorizationServerMetadata,
  isAuthorizationServerPath,
} from '../../../src/contract/mcp/oauth/metadata.js';
import { PROTECTED_RESOURCE_PATH } from '../../../src/contract/mcp/protocol.js';
import type { RuntimeAuth, RuntimeEntity } from '../../../src/model/runtime-manifest.js';
import { cosmosAuditStore } from '../../../src/runtime/audit/audit-store.js';
import type { OAuthRateLimits } from '../../../src/runtime/members/agents/oauth-limits.js';
import type { RuntimeDoor } from '../../../src/model/door/runtime-door.js';
import { registerCrudRoutes } from '../../../src/runtime/register-routes.js';
import type { WebhookOptions } from '../../../src/runtime/webhooks/webhook-wiring.js';
import { noteEntity } from './entities.js';
import { BASE, makeContext, type Reply } from './http.js';
import type { LocalCosmos } from './local-cosmos.js';
import { member, record, reseed, who } from './organization-calls.js';
import { organizationsStore } from './organizations-app.js';
import { membershipAuth } from './registry-auth.js';
import { testCertificate } from '../../support/test-certificate.js';

export const ORIGIN = new URL(BASE).origin;
/** The API's base: the issuer. */
export const BASE_URL = BASE;
export const MCP_URL = `${BASE}/mcp`;
export const REDIRECT = 'http://localhost:6274/callback';

export const agentsPolicy: RuntimeAuth = membershipAuth(
  'home-dir',
  {
    plans: { pro: { features: ['mcp', 'audit'] }, free: { features: ['audit'] } },
    defaultPlan: 'free',
  },
  { createTenants: 'any-user', audit: 'audit', roles: ['Admin', 'Member', 'Guest'] },
);

/** Notes: Owners and Admins write them, Members read them, a Guest has no rule (no tool). */
export const agentNotes: RuntimeEntity = {
  ...noteEntity,
  mcp: 'readwrite',
  access: [
    { allow: 'role', role: 'Owner' },
    { allow: 'role', role: 'Admin' },
    { allow: 'role', role: 'Member', operations: ['read', 'list'] },
  ],
};

/** The running app: its functions by name, the registry's containers, the agent's client id, a clock. */
export interface AgentsApp {
  readonly fns: Map<string, HttpFunctionOptions>;
  readonly c: {
    readonly members: Container;
    readonly tenants: Container;
    readonly audit: Container;
  };
  readonly clientId: string;
  readonly clock: { now: number };
  /** Run one of the app's timers now (`config.timers`), as the host would; the lines it logged. */
  runTimer(name: string): Promise<readonly Record<string, unknown>[]>;
  /** Answer a request as the host would: the metadata at the root, else the function its `api/` path names. */
  fetch(signedIn?: Record<string, string>): typeof fetch;
  call(name: string, method: string, path: string, opts?: CallInit): Promise<Reply>;
  /** Each test's organizations: acme and globex on pro (mcp), initech on free (no mcp). */
  reseed(): Promise<void>;
  stop(): Promise<void>;
}

/** A call's headers and body (a string sent as it is, anything else as JSON). */
export interface CallInit {
  readonly headers?: Record<string, string>;
  readonly body?: unknown;
  readonly params?: Record<string, string>;
}

/**
 * Call `handler` as the host would, its answer read whatever it is — JSON (`jsonBody` too), HTML, nothing — the body
 * parsed when it is JSON.
 */
export async function call(
  handler: HttpHandler,
  method: string,
  path: string,
  init: CallInit = {},
): Promise<Reply> {
  const body =
    init.body === undefined
      ? undefined
      : typeof init.body === 'string'
        ? init.body
        : JSON.stringify(init.body);
  const request = new HttpRequest({
    method,
    url: `${BASE}/${path}`,
    headers: {
      ...(body !== undefined && typeof init.body !== 'string'
        ? { 'content-type': 'application/json' }
        : {}),
      ...init.headers,
    },
    params: init.params ?? {},
    ...(body !== undefined ? { body: { string: body } } : {}),
  });
  const r = (await handler(request, makeContext())) as HttpResponseInit;
  const text =
    r.jsonBody !== undefined
      ? JSON.stringify(r.jsonBody)
      : typeof r.body === 'string'
        ? r.body
        : '';
  let parsed: unknown;
  try {
    parsed = text ? JSON.parse(text) : undefined;
  } catch {
    parsed = undefined;
  }
  return {
    status: r.status ?? 200,
    headers: new Headers(r.headers as ConstructorParameters<typeof Headers>[0]),
    text,
    body: parsed,
  };
}

/** Which function serves an `api/` path (the routes this app registers). */
const FUNCTION_OF: readonly [RegExp, string][] = [
  [/^mcp$/, 'atakora-mcp'],
  [/^oauth\/authorize$/, 'oauth-authorize'],
  [/^oauth\/token$/, 'oauth-token'],
  [/^oauth\/revoke$/, 'oauth-revoke'],
  [/^oauth\/register$/, 'oauth-register'],
  [/^\.well-known\/oauth-protected-resource$/, 'oauth-protected-resource'],
  [/^\.well-known\/openid-configuration$/, 'oauth-openid-configuration'],
  [/^oauth\/jwks$/, 'oauth-jwks'],
];

/**
 * Start the app over `cosmos`, its agent's metadata document served at `https://localhost:<port>/agent.json`.
 *
 * @example
 * ```ts
 * const app = await startAgentsApp(cosmos);
 * ```
 */
export async function startAgentsApp(
  cosmos: LocalCosmos,
  config: {
    accessTokenMinutes?: number;
    grantsPerPerson?: number;
    /** `mcp.authorization.registration`: RFC 7591 registration at `api/oauth/register` (default off). */
    registration?: boolean;
    limits?: OAuthRateLimits;
    door?: RuntimeDoor;
    /** The app's settings the signing key is read from (default none: a key of this process). */
    env?: Readonly<Record<string, string | undefined>>;
    /** The credential Key Vault's key is used with (the Key Vault stand-in's identity). */
    vaultCredential?: TokenCredential;
    /** The agent's metadata server's certificate, which the app trusts (instances of one test share one). */
    tls?: { readonly cert: string; readonly key: string };
    /**
     * Another policy than {@link agentsPolicy}: plans with `api-keys`, `webhooks` or `scim`, `apiKeys`, a
     * `deleteAfterDays`.
     */
    auth?: RuntimeAuth;
    /** The organizations' webhooks (a test's resolver and queue). */
    webhooks?: WebhookOptions;
    /** The clock another instance of one test runs on (two instances share one). */
    clock?: { now: number };
    /** Register the app's timers too (the daily erase), logging to the lines {@link AgentsApp.runTimer} gives. */
    timers?: boolean;
  } = {},
): Promise<AgentsApp> {
  const tls = config.tls ?? testCertificate();
  let origin = '';
  const server: Server = createServer({ cert: tls.cert, key: tls.key }, (req, res) => {
    if (req.url !== '/agent.json') return void res.writeHead(404).end();
    res.writeHead(200, { 'content-type': 'application/json', 'cache-control': 'max-age=60' });
    res.end(
      JSON.stringify({
        client_id: `${origin}/agent.json`,
        client_name: 'Test <b>Agent</b>',
        redirect_uris: [REDIRECT],
        grant_types: ['authorization_code', 'refresh_token'],
        response_types: ['code'],
        token_endpoint_auth_method: 'none',
      }),
    );
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  origin = `https://localhost:${String((server.address() as AddressInfo).port)}`;
  const { members, tenants, audit, notes } = await organizationsStore(
    cosmos,
    `${agentNotes.componentId}-agents`,
  );
  const clock = config.clock ?? { now: Date.parse('2026-03-02T10:00:00.000Z') };
  const fns = new Map<string, HttpFunctionOptions>();
  const timers = new Map<string, TimerFunctionOptions>();
  const lines: Record<string, unknown>[] = [];
  const auth = config.auth ?? agentsPolicy;
  registerCrudRoutes(
    {
      http: (name, o) => fns.set(name, o),
      ...(config.timers
        ? { timer: (name: string, o: TimerFunctionOptions) => timers.set(name, o) }
        : {}),
    },
    {
      version: 1,
      backendId: 'agents',
      entities: [agentNotes],
      auth,
      mcp: {
        writes: true,
        authorization: {
          registration: config.registration === true,
          accessTokenMinutes: config.accessTokenMinutes ?? 10,
          refreshTokenDays: 30,
          grantsPerPerson: config.grantsPerPerson ?? 20,
        },
      },
    },
    {
      containerFor: () => notes,
      caller: auth,
      ...(config.timers ? { eventLogger: (e: object) => lines.push({ ...e }) } : {}),
      audit: { store: cosmosAuditStore(audit) },
      tenantRegistry: { now: () => clock.now },
      // The rate limits' minutes are the app's clock's: a test's requests fall in one window until it moves it.
      usageLedger: { now: () => clock.now },
      agents: {
        clients: { allowLocal: true, ca: tls.cert },
        env: config.env ?? {},
        now: () => clock.now,
        ...(config.limits ? { limits: config.limits } : {}),
        ...(config.vaultCredential ? { vaultCredential: config.vaultCredential } : {}),
      },
      ...(config.door ? { door: config.door } : {}),
      ...(config.webhooks ? { webhooks: config.webhooks } : {}),
    },
  );
  const handler = (name: string) => {
    const f = fns.get(name);
    if (!f) throw new Error(`no function ${name}`);
    return f.handler as HttpHandler;
  };
  const c = { members, tenants, audit };
  return {
    fns,
    c,
    clientId: `${origin}/agent.json`,
    clock,
    async runTimer(name) {
      const t = timers.get(name);
      if (!t) throw new Error(`no timer ${name}`);
      const before = lines.length;
      await (t.handler as (timer: unknown, context: unknown) => Promise<void>)({}, {});
      return lines.slice(before);
    },
    call: (name, method, path, opts) => call(handler(name), method, path, opts),
    fetch:
      (signedIn = {}) =>
      async (input, init) => {
        const request = new Request(input, init);
        const url = new URL(request.url);
        const json = (body: unknown, status = 200) => Response.json(body, { status });
        if (url.pathname.startsWith(PROTECTED_RESOURCE_PATH))
          return json(agentProtectedResource(BASE));
        if (isAuthorizationServerPath(url.pathname, '/api'))
          return json(
            authorizationServerMetadata(BASE, { registration: config.registration === true }),
          );
        const path = url.pathname.replace(/^\/api\//, '');
        const name = FUNCTION_OF.find(([re]) => re.test(path))?.[1];
        // A route the app does not serve (oauth/register with registration off) is the host's 404.
        if (!name || !fns.has(name)) return json({ error: 'not found' }, 404);
        const text = request.method === 'GET' ? '' : await request.text();
        const reply = await call(handler(name), request.method, `${path}${url.search}`, {
          headers: { ...Object.fromEntries(request.headers), ...signedIn },
          ...(text ? { body: text } : {}),
        });
        const empty = reply.text === '' || [202, 204, 302].includes(reply.status);
        return new Response(empty ? null : reply.text, {
          status: reply.status,
          headers: reply.headers,
        });
      },
    reseed: () =>
      reseed(
        c,
        [record('acme', 'pro'), record('globex', 'pro'), record('initech', 'free')],
        [
          member('acme', 'ada', ['Owner']),
          member('acme', 'bob', ['Member']),
          member('acme', 'al', ['Admin']),
          member('globex', 'ada', ['Guest']),
          member('initech', 'ada', ['Owner']),
        ],
      ),
    stop: async () => {
      server.closeAllConnections();
      await new Promise((r) => server.close(r));
    },
  };
}

export { who };

/** A PKCE pair (RFC 7636 §4.1, §4.2): a verifier and its S256 challenge. */
export function pkcePair(): { verifier: string; challenge: string } {
  const verifier = randomBytes(32).toString('base64url');
  return { verifier, challenge: createHash('sha256').update(verifier).digest('base64url') };
}

/** The authorize request of `app`'s agent, as a hosted client builds it. */
export const authorizePath = (app: Pick<AgentsApp, 'clientId'>, challenge: string, state = 's-1') =>
  `oauth/authorize?${new URLSearchParams({
    response_type: 'code',
    client_id: app.clientId,
    redirect_uri: REDIRECT,
    code_challenge: challenge,
    code_challenge_method: 'S256',
    state,
    scope: 'mcp',
    resource: MCP_URL,
  }).toString()}`;

export const FORM = { 'content-type': 'application/x-www-form-urlencoded' } as const;

/** Post a form to an OAuth endpoint (`oauth-token`, `oauth-revoke`). */
export const postForm = (
  app: AgentsApp,
  name: string,
  path: string,
  form: Record<string, string>,
) => app.call(name, 'POST', path, { headers: FORM, body: new URLSearchParams(form).toString() });

/**
 * `person` connects the agent to `organization` as a hosted client does, by plain HTTP: the consent page, Allow, the
 * code — then its exchange (unless `exchange: false`). Returns the code, the verifier and the token answer.
 */
export async function connectAgent(
  app: AgentsApp,
  person: string,
  organization: string,
): Promise<{ code: string; verifier: string; tokens: Reply }> {
  const { verifier, challenge } = pkcePair();
  const path = authorizePath(app, challenge);
  const page = await app.call('oauth-authorize', 'GET', path, { headers: who(person) });
  const csrf = /name="csrf" value="([^"]+)"/.exec(page.text)?.[1] ?? '';
  const allowed = await app.call('oauth-authorize', 'POST', path, {
    headers: { ...who(person), ...FORM },
    body: new URLSearchParams({ csrf, organization, decision: 'allow' }).toString(),
  });
  const code =
    new URL(allowed.headers.get('location') ?? 'http://x/').searchParams.get('code') ?? '';
  const tokens = await postForm(app, 'oauth-token', 'oauth/token', {
    grant_type: 'authorization_code',
    code,
    client_id: app.clientId,
    redirect_uri: REDIRECT,
    code_verifier: verifier,
    resource: MCP_URL,
  });
  return { code, verifier, tokens };
}

/** `tools/list` through the MCP door with `token` (and any other headers). */
export const mcpWith = (app: AgentsApp, token: string, headers: Record<string, string> = {}) =>
  app.call('atakora-mcp', 'POST', 'mcp', {
    headers: {
      authorization: `Bearer ${token}`,
      accept: 'application/json, text/event-stream',
      ...headers,
    },
    body: { jsonrpc: '2.0', id: 1, method: 'tools/list' },
  });
