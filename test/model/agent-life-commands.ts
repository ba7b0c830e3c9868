/**
 * The agents model's commands for the grant's life beyond the membership routes (src/access/model/agent-grant-exits.ts):
 * SCIM deprovisioning and re-activating a person (`PATCH active false|true`, `DELETE` of the user, each user
 * provisioned on first use — which lifts a bar too), days passing and the daily erase run through the timer the app
 * registered — alone, or racing an agent's refresh or MCP call, an Owner's undelete or a new connection — and an
 * agent's MCP request to the **second** instance (agent-model-app.ts), whose caches may answer from any state of the
 * last 30 s on the run's clock (DESIGN §2: "access tokens answered 401 within 30 s").
 */
import {
  type AgentMessage,
  agentRequest,
  connection,
  consentOffers,
  refreshRefusal,
} from '../../src/access/model/agent-grants.js';
import { erasedAt, scimRefusal, scimUserSet } from '../../src/access/model/agent-grant-exits.js';
import type { Expected, ModelState } from '../../src/access/model/model-state.js';
import { undeleted } from '../../src/access/model/owner-states.js';
import { ORGANIZATION_ERASE_FUNCTION } from '../../src/contract/members.js';
import { type AgentsApp, connectAgent, postForm } from '../runtime/support/agents-app.js';
import type { Reply } from '../runtime/support/http.js';
import {
  ACCESS_S,
  AgentCommand,
  type AgentSide,
  answerOf,
  claimsOf,
  inOrg,
  mcpAnswer,
  person,
  SERVER,
  sendMcp,
  type Tokens,
} from './agent-commands.js';

const DAY_MS = 86_400_000;
/** How long an instance may answer from what it read (the grant, membership and registry caches). */
const WINDOW_MS = 30_000;
/** The most days a run passes: under the refresh tokens' 30 days, which the model leaves out. */
const MAX_DAYS = 12;

/** What a run keeps beside the model for these commands: SCIM's tokens and users, the days passed. */
interface LifeRun {
  readonly tokens: Map<string, string>;
  /** SCIM's users by `org|person`: their id and whether they are active. */
  readonly users: Map<string, { id: string; active: boolean }>;
  days: number;
}
const RUNS = new WeakMap<AgentSide, LifeRun>();
let second: AgentsApp | undefined;

/**
 * Start a run's life: acme's and globex's SCIM tokens issued by their Owners (each run reseeds the containers), the
 * second instance the MCP requests of {@link Elsewhere} go to.
 */
export async function startLife(side: AgentSide, app: AgentsApp, other: AgentsApp): Promise<void> {
  second = other;
  const tokens = new Map<string, string>();
  for (const [org, owner] of [
    ['acme', 'ada'],
    ['globex', 'gus'],
  ] as const) {
    const r = await app.call('membership-scim-tokens', 'POST', 'tenant/scim-tokens', {
      headers: inOrg(owner, org),
      body: {},
    });
    if (r.status !== 201) throw new Error(`${org}'s SCIM token: ${r.status} ${r.text}`);
    tokens.set(org, String(r.body.token));
  }
  RUNS.set(side, { tokens, users: new Map(), days: 0 });
  side.history?.push({ at: app.clock.now, state: side.state });
}

const lifeOf = (m: AgentSide): LifeRun => {
  const run = RUNS.get(m);
  if (!run) throw new Error('a life command needs startLife');
  return run;
};

const scim = (app: AgentsApp, method: string, path: string, token: string, body?: unknown) =>
  app.call(method === 'POST' ? 'scim-users' : 'scim-user', method, `scim/v2/${path}`, {
    headers: { authorization: `Bearer ${token}`, 'content-type': 'application/scim+json' },
    ...(body === undefined ? {} : { body }),
    params: { id: path.split('/')[1] ?? '' },
  });

/** SCIM of an organization deprovisions (`off`, `delete`) or re-activates (`on`) the user naming a person. */
export class Scim extends AgentCommand {
  constructor(
    readonly org: 'acme' | 'globex',
    readonly user: string,
    readonly op: 'off' | 'on' | 'delete',
  ) {
    super();
  }
  protected async act(m: AgentSide, app: AgentsApp) {
    const run = lifeOf(m);
    const token = run.tokens.get(this.org) ?? '';
    const key = `${this.org}|${this.user}`;
    if (!run.users.has(key)) {
      const r = await scim(app, 'POST', 'Users', token, {
        userName: `${this.user}@example.com`,
        active: true,
      });
      const want = scimUserSet(m.state, SERVER, this.org, this.user, { active: true, status: 201 });
      this.step(m, `SCIM of ${this.org} provisions ${this.user}`, want.expected, {
        status: r.status,
      });
      m.state = want.state;
      if (r.status !== 201) return;
      run.users.set(key, { id: String(r.body.id), active: true });
    }
    const u = run.users.get(key) ?? { id: 'none', active: false };
    const r =
      this.op === 'delete'
        ? await scim(app, 'DELETE', `Users/${u.id}`, token)
        : await scim(app, 'PATCH', `Users/${u.id}`, token, {
            schemas: ['urn:ietf:params:scim:api:messages:2.0:PatchOp'],
            Operations: [{ op: 'replace', path: 'active', value: this.op === 'on' }],
          });
    // An active user made active again, an inactive one inactive again: served (or refused), nothing changes.
    const unchanged = this.op !== 'delete' && u.active === (this.op === 'on');
    const refused = scimRefusal(m.state, SERVER, this.org);
    const want = unchanged
      ? { expected: { status: refused ?? 200 }, state: m.state }
      : scimUserSet(m.state, SERVER, this.org, this.user, {
          active: this.op === 'on',
          status: this.op === 'delete' ? 204 : 200,
        });
    const what = { off: 'deactivates', on: 'activates', delete: 'deletes' }[this.op];
    this.step(m, `SCIM of ${this.org} ${what} ${this.user}`, want.expected, { status: r.status });
    if (unchanged || ![200, 204].includes(r.status)) return;
    m.state = want.state;
    if (this.op === 'delete') run.users.delete(key);
    else run.users.set(key, { ...u, active: this.op === 'on' });
  }
}

/** A racer of the erase: the agent of a grant refreshing or sending `tools/list`, an Owner's undelete, a connection. */
export type Racer =
  | { readonly kind: 'refresh' | 'use'; readonly index: number }
  | { readonly kind: 'undelete'; readonly by: string; readonly org: string }
  | { readonly kind: 'connect'; readonly user: string; readonly org: string };

/**
 * Days pass (the access tokens expire, deletions fall due), then the daily erase runs through the app's timer — with
 * a racer sent at once beside it, judged against both orders: the racer before the erase, or after.
 */
export class Erase extends AgentCommand {
  constructor(
    readonly days: number,
    readonly racer: Racer | undefined,
  ) {
    super();
  }
  override check(m: Readonly<AgentSide>): boolean {
    const run = RUNS.get(m as AgentSide);
    return run === undefined || run.days + this.days <= MAX_DAYS;
  }
  protected async act(m: AgentSide, app: AgentsApp) {
    const run = lifeOf(m);
    run.days += this.days;
    app.clock.now += this.days * DAY_MS;
    const racer = this.racer ? raceOf(m, app, this.racer) : undefined;
    const [lines, reply] = await Promise.all([
      app.runTimer(ORGANIZATION_ERASE_FUNCTION),
      racer?.send(),
    ]);
    const line = lines.find((l) => l['operation'] === 'organization-erase');
    const erased = ((line?.['erased'] as { tenant: string }[] | undefined) ?? []).map(
      (x) => x.tenant,
    );
    const got = { outcome: line?.['outcome'], erased: erased.sort() };
    const s0 = m.state;
    // Either order: the racer before the erase (which then erases from the state it left), or after it.
    const raceFirst = racer?.model(s0);
    const orders = [
      { erase: erasedAt(s0, app.clock.now), racer: undefined as Moved | undefined },
      ...(raceFirst ? [{ erase: erasedAt(raceFirst.state, app.clock.now), racer: raceFirst }] : []),
    ].map((o) => (racer && !o.racer ? { ...o, racer: racer.model(o.erase.state) } : o));
    const answer = reply && racer ? racer.answer(reply) : undefined;
    const same = (x: unknown, y: unknown) => JSON.stringify(x) === JSON.stringify(y);
    const order =
      orders.find(
        (o) => same(o.erase.erased, got.erased) && (!o.racer || same(o.racer.expected, answer)),
      ) ?? (orders[0] as (typeof orders)[number]);
    const what = `${String(this.days)} day(s) pass, the erase runs`;
    this.step(m, what, { outcome: 'done', erased: order.erase.erased }, got);
    m.state =
      order.racer === raceFirst ? order.erase.state : (order.racer?.state ?? order.erase.state);
    if (!racer || !reply || !order.racer) return;
    this.step(m, `  ${racer.described} at once`, order.racer.expected, answer);
    racer.keep(reply, order.racer);
  }
}

type Moved = { expected: Expected; state: ModelState };

interface Race {
  readonly described: string;
  send(): Promise<Reply>;
  model(s: ModelState): Moved;
  answer(r: Reply): Expected;
  keep(r: Reply, moved: Moved): void;
}

function raceOf(m: AgentSide, app: AgentsApp, r: Racer): Race {
  const grants = m.state.agentGrants ?? [];
  const at = 'index' in r ? r.index % Math.max(1, grants.length) : 0;
  const t = m.tokens[at];
  if (r.kind === 'refresh' || r.kind === 'use') {
    const list: AgentMessage = { method: 'tools/list' };
    return {
      described: `agent #${String(at)} ${r.kind === 'use' ? 'tools/list' : 'refreshes'}`,
      send: () =>
        !t
          ? Promise.resolve({ status: 0 } as Reply)
          : r.kind === 'use'
            ? sendMcp(app, t.access, undefined, list)
            : postForm(app, 'oauth-token', 'oauth/token', {
                grant_type: 'refresh_token',
                refresh_token: t.refresh,
                client_id: app.clientId,
              }),
      model: (s) => {
        if (!t) return { expected: { status: 0 }, state: s };
        if (r.kind === 'use')
          return { expected: useAnswer(s, t, at, app.clock.now, undefined, list), state: s };
        const refused = refreshRefusal(s, SERVER, at) !== undefined;
        return {
          expected: refused ? { status: 400, problem: 'invalid_grant' } : { status: 200 },
          state: s,
        };
      },
      answer: (reply) =>
        reply.status === 0
          ? { status: 0 }
          : r.kind === 'use'
            ? mcpAnswer(reply, list)
            : answerOf(reply),
      keep: (reply) => {
        if (r.kind === 'refresh' && reply.status === 200)
          m.tokens[at] = {
            access: String(reply.body.access_token),
            issuedAt: app.clock.now,
            refresh: String(reply.body.refresh_token),
          };
      },
    };
  }
  if (r.kind === 'undelete')
    return {
      described: `${r.by} undeletes ${r.org}`,
      send: () =>
        app.call('membership-tenant-undelete', 'POST', 'tenant/undelete', {
          headers: inOrg(r.by, r.org),
        }),
      model: (s) => undeleted(s, person(r.by), r.org, app.clock.now),
      answer: (reply) => answerOf(reply),
      keep: () => undefined,
    };
  const c = r as Extract<Racer, { kind: 'connect' }>;
  let made: Reply | undefined;
  return {
    described: `${c.user} connects an agent to ${c.org}`,
    send: async () => {
      made = (await connectAgent(app, c.user, c.org)).tokens;
      return made;
    },
    model: (s) => {
      const p = person(c.user);
      const id = made?.status === 200 ? claimsOf(String(made.body.access_token)).grant : '?';
      const made2 = connection(s, SERVER, p, c.org, app.clientId, id);
      const ok = consentOffers(s, SERVER, p, c.org) && made2.connected;
      return { expected: { status: ok ? 200 : 400 }, state: ok ? made2.state : s };
    },
    answer: (reply) => ({ status: reply.status === 200 ? 200 : 400 }),
    keep: (reply, moved) => {
      if (moved.expected.status !== 200) return;
      m.tokens.push({
        access: String(reply.body.access_token),
        issuedAt: app.clock.now,
        refresh: String(reply.body.refresh_token),
      });
    },
  };
}

/** The MCP answer to an access token of the grant at `at` in state `s` at `now` (its own expiry first). */
function useAnswer(
  s: ModelState,
  t: Tokens,
  at: number,
  now: number,
  named: string | undefined,
  message: AgentMessage,
): Expected {
  const expired = Math.floor(t.issuedAt / 1000) + ACCESS_S <= Math.floor(now / 1000);
  return expired
    ? { status: 401, problem: 'agent-token-invalid' }
    : agentRequest(s, SERVER, at, named, message);
}

/**
 * The agent of a grant sends `tools/list` or a call to the **second** instance: its answer must be the model's in
 * one of the states of the last 30 s (the one current 30 s ago, and every one since) — an end holds within 30 s on
 * every instance, and never later.
 */
export class Elsewhere extends AgentCommand {
  protected override needsGrant = true;
  constructor(
    readonly index: number,
    readonly named: string | undefined,
    readonly message: AgentMessage,
  ) {
    super();
  }
  protected async act(m: AgentSide, app: AgentsApp) {
    const other = second ?? app;
    const at = this.grantAt(m, this.index);
    const t = m.tokens[at] as Tokens;
    const r = await sendMcp(other, t.access, this.named, this.message);
    const now = app.clock.now;
    const h = m.history ?? [{ at: now, state: m.state }];
    const since = h.filter((e) => e.at > now - WINDOW_MS);
    const before = h.filter((e) => e.at <= now - WINDOW_MS).at(-1);
    const states = [...(before ? [before.state] : []), ...since.map((e) => e.state), m.state];
    const answers = states.map((s) => useAnswer(s, t, at, now, this.named, this.message));
    const got = mcpAnswer(r, this.message);
    const want = answers.find((a) => JSON.stringify(a) === JSON.stringify(got)) ?? answers.at(-1);
    const what = 'method' in this.message ? 'tools/list' : `calls note_${this.message.call}`;
    const described = `agent #${String(at)} ${what} naming ${String(this.named)} on the second instance`;
    this.step(m, described, want, got);
  }
}
