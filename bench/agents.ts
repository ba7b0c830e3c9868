/**
 * What the callers that are not people cost against a person's own call, on the local Cosmos DB server in a process
 * of its own, each pair interleaved, p50 ratios measured in this run (DESIGN §2: "Agents that sign in", "Integrations"):
 *
 * - an MCP `tools/call` (`note_get`) with one of the backend's own agent tokens (`mcp.authorization`: ES256 `at+jwt`,
 *   its grant and its person's membership read through the instance's caches) ÷ the same call with an Entra access
 *   token of the same person, both checked by the runtime's door at `api/mcp` as deployed (the Entra token's RS256
 *   signature against the issuer's keys, issuer, audience, lifetime; then the registry's membership) — budget ≤ ×1.05;
 * - a REST `GET api/notes/{id}` with an organization API key (`Bearer atk_…`: its hash looked up through the keys'
 *   cache) ÷ the same GET with an Entra access token of a member of the key's role, both through the door on the data
 *   route — budget ≤ ×1.05;
 * - as information, no budget: each ÷ the same call with App Service's principal header (the platform checked the
 *   token before the runtime ran: what a member's call costs the app when the path is not the door's).
 *
 * In-process (the registered handlers called with a request, no HTTP hop): the ratio is the runtime's, not the
 * transport's. Prints medians and ratios; asserts nothing (a shared machine is noisy).
 *
 *   npx tsx bench/agents.ts [ops=300]
 */
import type { HttpFunctionOptions, HttpHandler } from '@azure/functions';
import type { RuntimeDoor } from '../src/model/door/runtime-door.js';
import type { RuntimeEntity } from '../src/model/runtime-manifest.js';
import { registerCrudRoutes } from '../src/runtime/register-routes.js';
import { startEntraTokenStandIn } from '../test/support/entra-token-standin.js';
import {
  type AgentsApp,
  call,
  connectAgent,
  startAgentsApp,
  who,
} from '../test/runtime/support/agents-app.js';
import { noteEntity } from '../test/runtime/support/entities.js';
import type { LocalCosmos } from '../test/runtime/support/local-cosmos.js';
import { member, record, reseed } from '../test/runtime/support/organization-calls.js';
import { membershipAuth } from '../test/runtime/support/registry-auth.js';
import { benchCosmos } from './support/cosmos-client.js';
import { interleavedPairs } from './support/pairs.js';
import { recordRatio } from './support/summary.js';

const OPS = Math.min(Math.max(Number(process.argv[2] ?? 300) || 300, 20), 5000);
const WARMUP = 40;
const BUDGET = 1.05;
const API = '11111111-2222-3333-4444-555555555555';

/** Interleaved pairs (A then B, B then A), p50 of each after a warm-up (support/pairs.ts). */
const pairs = (a: () => Promise<unknown>, b: () => Promise<unknown>) =>
  interleavedPairs(a, b, { warmup: WARMUP, ops: OPS });

/** A call that must answer `status`, or the bench compares a refusal with an answer. */
const expecting =
  (status: number, what: string, fn: () => Promise<{ status: number; text: string }>) =>
  async () => {
    const r = await fn();
    if (r.status !== status)
      throw new Error(`${what} answered ${String(r.status)}: ${r.text.slice(0, 300)}`);
  };

const entra = await startEntraTokenStandIn();
const server = await benchCosmos({ keepAlive: true });
// The registry's database (the runtime reads `members` and `tenants` beside the entity's container).
const { database } = await server.container.database.client.databases.createIfNotExists({
  id: 'atakora',
});
// What the test helpers need of the local server: a container by id and partition key.
const cosmos = {
  container: async (id: string, partitionKey: string) =>
    (await database.containers.createIfNotExists({ id, partitionKey: { paths: [partitionKey] } }))
      .container,
} as unknown as LocalCosmos;
const doorOf = (paths: string[]): RuntimeDoor => ({
  paths,
  issuer: entra.issuerOf('home-dir'),
  audiences: [API],
});
const apps: AgentsApp[] = [];
try {
  // --- an agent's token ÷ an Entra token, both at the door of api/mcp
  const guarded = await startAgentsApp(cosmos, {
    door: doorOf(['/api/mcp']),
    accessTokenMinutes: 60,
  });
  const plain = await startAgentsApp(cosmos, { accessTokenMinutes: 60 });
  apps.push(guarded, plain);
  await guarded.reseed();
  const made = await plain.call('NoteApi-collection', 'POST', 'notes', {
    headers: { ...who('ada'), 'x-atakora-tenant': 'acme' },
    body: { id: 'n7', title: 'note 7' },
  });
  if (made.status !== 201)
    throw new Error(`seeding the note answered ${String(made.status)}: ${made.text}`);
  const { tokens } = await connectAgent(guarded, 'ada', 'acme');
  const agentToken = String((tokens.body as { access_token?: unknown }).access_token);
  const entraToken = await entra.mint('home-dir', API, { oid: 'ada' });
  let rpc = 0;
  const getNote = (app: AgentsApp, headers: Record<string, string>) =>
    expecting(200, 'tools/call note_get', async () => {
      const r = await app.call('atakora-mcp', 'POST', 'mcp', {
        headers: { accept: 'application/json, text/event-stream', ...headers },
        body: {
          jsonrpc: '2.0',
          id: ++rpc,
          method: 'tools/call',
          params: { name: 'note_get', arguments: { id: 'n7' } },
        },
      });
      // A tool's refusal is a 200 whose result is an error: the item must be in it.
      return r.text.includes('note 7') ? r : { status: 500, text: r.text };
    });
  const agentCall = getNote(guarded, { authorization: `Bearer ${agentToken}` });
  const entraCall = getNote(guarded, {
    authorization: `Bearer ${entraToken}`,
    'x-atakora-tenant': 'acme',
  });
  const platformCall = getNote(plain, { ...who('ada'), 'x-atakora-tenant': 'acme' });
  const agentOverEntra = await pairs(agentCall, entraCall);
  const agentOverPlatform = await pairs(agentCall, platformCall);

  // --- an organization's API key ÷ a member's Entra token, both at the door of the data route
  const keyPolicy = membershipAuth(
    'home-dir',
    { plans: { pro: { features: ['api-keys'] } }, defaultPlan: 'pro' },
    { createTenants: 'any-user', apiKeys: { perOrganization: 3 } },
  );
  const notes: RuntimeEntity = {
    ...noteEntity,
    access: [
      { allow: 'role', role: 'Admin' },
      { allow: 'role', role: 'Member', operations: ['read', 'list'] },
    ],
  };
  const members = await cosmos.container('members', '/tenant');
  const tenants = await cosmos.container('tenants', '/id');
  const audit = await cosmos.container('audit', '/tenant');
  const container = await cosmos.container('NoteApi-keys', '/tenantId');
  const register = (door: RuntimeDoor | undefined) => {
    const fns = new Map<string, HttpFunctionOptions>();
    registerCrudRoutes(
      { http: (name, o) => fns.set(name, o) },
      { version: 1, backendId: 'keys', entities: [notes], auth: keyPolicy },
      {
        containerFor: () => container,
        caller: keyPolicy,
        ...(door ? { door } : {}),
      },
    );
    return (name: string) => fns.get(name)!.handler as HttpHandler;
  };
  const keyed = register(doorOf(['/api/notes', '/api/notes/*']));
  const open = register(undefined);
  await reseed(
    { members, tenants, audit },
    [record('acme', 'pro')],
    [member('acme', 'ada', ['Owner']), member('acme', 'bob', ['Member'])],
  );
  await container.items.upsert({ id: 'n7', tenantId: 'acme', title: 'note 7' });
  const created = await call(keyed('membership-api-keys'), 'POST', 'tenant/api-keys', {
    headers: { ...who('ada'), 'x-atakora-tenant': 'acme' },
    body: { name: 'nightly', role: 'Member' },
  });
  if (created.status !== 201) throw new Error(`the key answered ${String(created.status)}`);
  const key = String((created.body as { key?: unknown }).key);
  const bobToken = await entra.mint('home-dir', API, { oid: 'bob' });
  const getRest = (handler: HttpHandler, headers: Record<string, string>) =>
    expecting(200, 'GET api/notes/n7', () =>
      call(handler, 'GET', 'notes/n7', { headers, params: { id: 'n7' } }),
    );
  const keyGet = getRest(keyed('NoteApi-item'), { authorization: `Bearer ${key}` });
  const bobGet = getRest(keyed('NoteApi-item'), {
    authorization: `Bearer ${bobToken}`,
    'x-atakora-tenant': 'acme',
  });
  const bobPlatform = getRest(open('NoteApi-item'), { ...who('bob'), 'x-atakora-tenant': 'acme' });
  const keyOverEntra = await pairs(keyGet, bobGet);
  const keyOverPlatform = await pairs(keyGet, bobPlatform);

  const row = (label: string, x: { a: number; b: number }, budget?: number) => {
    const ratio = x.a / x.b;
    console.log(
      `  ${label.padEnd(58)} ${x.a.toFixed(3).padStart(8)} ms ÷ ${x.b.toFixed(3).padStart(8)} ms = ×${ratio.toFixed(2)}` +
        (budget === undefined
          ? '  (information)'
          : `  ${ratio <= budget ? 'ok' : 'OVER'} (≤ ×${String(budget)})`),
    );
    return ratio;
  };
  console.log(
    `Agents' tokens and API keys against a person's own call (p50 of ${String(OPS)} interleaved pairs, in-process)`,
  );
  const r1 = row('MCP note_get: agent token ÷ Entra token (door)', agentOverEntra, BUDGET);
  const r2 = row('MCP note_get: agent token ÷ platform principal', agentOverPlatform);
  const r3 = row(
    "GET api/notes/{id}: API key ÷ a member's Entra token (door)",
    keyOverEntra,
    BUDGET,
  );
  const r4 = row('GET api/notes/{id}: API key ÷ platform principal', keyOverPlatform);
  recordRatio('agent-token', {
    label:
      "an MCP tools/call with the backend's own agent token ÷ with an Entra token (both at the door)",
    ratio: r1,
    budget: BUDGET,
    detail: `information: ÷ the platform's principal ×${r2.toFixed(2)}; p50 of ${String(OPS)} interleaved pairs (bench/agents.ts)`,
  });
  recordRatio('api-key', {
    label:
      "a REST GET with an organization API key ÷ with a member's Entra token (both at the door)",
    ratio: r3,
    budget: BUDGET,
    detail: `information: ÷ the platform's principal ×${r4.toFixed(2)}; p50 of ${String(OPS)} interleaved pairs (bench/agents.ts)`,
  });
} finally {
  for (const app of apps) await app.stop();
  await server.close();
  await entra.close();
}
