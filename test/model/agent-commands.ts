/**
 * The commands of the agents' grants model (agents.model.test.ts): people connecting an agent to an organization,
 * the agent refreshing, calling `api/mcp` and revoking itself, the grants listed and revoked by their person and by
 * Owners and Admins — beside the memberships' and organizations' lives (removals, leaving, role changes,
 * re-admission, the operator's suspensions and plan moves, an Owner's delete and undelete). Each runs on the
 * reference model (src/access/model/agent-grants.ts over membership.ts and owner-states.ts) and on the real runtime
 * (test/runtime/support/agents-app.ts); every answer is compared.
 */
import fc from 'fast-check';
import {
  type AgentMessage,
  type AgentServer,
  agentRequest,
  agentRevocation,
  connection,
  consentOffers,
  refreshRefusal,
  grantRevocation,
  grantsFollowMembers,
  myAgents,
  organizationAgents,
} from '../../src/access/model/agent-grants.js';
import type { Principal } from '../../src/access/model/backend.js';
import { accept, changeMember, invite } from '../../src/access/model/membership.js';
import type { Expected, ModelState } from '../../src/access/model/model-state.js';
import { deleted, undeleted } from '../../src/access/model/owner-states.js';
import {
  type AgentsApp,
  agentNotes,
  connectAgent,
  postForm,
} from '../runtime/support/agents-app.js';
import type { Reply } from '../runtime/support/http.js';
import { code, record, who } from '../runtime/support/organization-calls.js';
import { AGENT_PLANS, DELETE_DAYS } from './agent-model-app.js';

/** The run's people and the organizations they start in (acme and globex on `pro`, initech on `free`). */
export const PEOPLE = ['ada', 'al', 'bob', 'cy', 'gus'] as const;
export const ORGS = ['acme', 'globex', 'initech'] as const;
export const START: readonly (readonly [string, string, string])[] = [
  ['acme', 'ada', 'Owner'],
  ['acme', 'al', 'Admin'],
  ['acme', 'bob', 'Member'],
  ['acme', 'cy', 'Guest'],
  ['globex', 'gus', 'Owner'],
  ['globex', 'bob', 'Admin'],
  ['initech', 'gus', 'Owner'],
  ['initech', 'al', 'Member'],
];
export const START_PLANS: Readonly<Record<string, string>> = {
  acme: 'pro',
  globex: 'pro',
  initech: 'free',
};

/** The model's view of the app's MCP server: its plans, its one CrudApi (notes), writes on. */
export const SERVER: AgentServer = {
  plans: AGENT_PLANS,
  entity: agentNotes,
  writes: true,
};
/** How long the runtime may keep a registry record it read: the operator's writes hold past it. */
const CACHE_MS = 31_000;
/** How far the run's clock moves at each step: time passes between a person's moves. */
const STEP_MS = 1_000;
/** The app's `accessTokenMinutes`. */
export const ACCESS_S = 600;

/** The agent's latest tokens of a grant: the access token and when it was issued (ms), the refresh token. */
export interface Tokens {
  readonly access: string;
  readonly issuedAt: number;
  readonly refresh: string;
}

/** The model and, beside it, each grant's tokens (by the index the model keeps it at) and the run's script. */
export interface AgentSide {
  state: ModelState;
  readonly tokens: Tokens[];
  readonly script: string[];
  /** Each state the run was in and from when (ms): what another instance's caches may still answer from, 30 s. */
  readonly history?: { at: number; state: ModelState }[];
}

export const person = (oid: string): Principal => ({ name: oid, tid: 'home-dir', oid, roles: [] });
const signedIn = (oid: string) => who(oid, `${oid}@example.com`);
export const inOrg = (oid: string, org: string) => ({ ...signedIn(oid), 'x-atakora-tenant': org });

/** An answer as the model states it: status and problem (an OAuth error as its `error`), a body when the model has one. */
export function answerOf(r: Reply, body?: unknown): Expected {
  if (r.status >= 300)
    return {
      status: r.status,
      problem: typeof r.body?.error === 'string' ? String(r.body.error) : code(r),
    };
  return body === undefined ? { status: r.status } : { status: r.status, body };
}

/** An MCP answer: the tools listed, or whether the call reached a tool (`unknownTool`: the protocol's refusal). */
export function mcpAnswer(r: Reply, message: AgentMessage): Expected {
  if (r.status !== 200) return answerOf(r);
  const b = r.body as {
    result?: { tools?: { name: string }[]; isError?: boolean };
    error?: { code: number; message: string };
  };
  if ('method' in message)
    return { status: 200, body: { tools: (b.result?.tools ?? []).map((t) => t.name) } };
  if (b.error?.code === -32602 && /Unknown tool/.test(b.error.message))
    return { status: 200, body: { unknownTool: true } };
  return { status: 200, body: b.result && b.result.isError !== true ? { tool: true } : b };
}

/** How often each command got each answer (`ATAKORA_MODEL_STATS=1` prints it: a budget spent on refusals finds little). */
export const STATS = new Map<string, number>();
const statOf = (command: string, got: unknown): string => {
  const g = got as { status?: number; problem?: string; body?: { tools?: unknown[] } } | boolean;
  if (typeof g !== 'object') return `${command} ${String(g)}`;
  const tools = g.body?.tools ? ` ${String(g.body.tools.length)} tools` : '';
  return `${command} ${String(g.status)} ${g.problem ?? ''}${tools}`;
};

export abstract class AgentCommand implements fc.AsyncCommand<AgentSide, AgentsApp> {
  private described: string | undefined;
  check(m: Readonly<AgentSide>): boolean {
    return !this.needsGrant || (m.state.agentGrants ?? []).length > 0;
  }
  protected needsGrant = false;
  async run(m: AgentSide, app: AgentsApp): Promise<void> {
    app.clock.now += STEP_MS;
    const at = app.clock.now;
    await this.act(m, app);
    m.state = grantsFollowMembers(m.state);
    if (m.history?.at(-1)?.state !== m.state) m.history?.push({ at, state: m.state });
  }
  protected abstract act(m: AgentSide, app: AgentsApp): Promise<void>;
  /** Record the step, then throw with the run's script when the runtime's answer is not the model's. */
  protected step(m: AgentSide, described: string, want: unknown, got: unknown): void {
    this.described = described;
    m.script.push(described);
    const k = statOf(this.constructor.name, got);
    STATS.set(k, (STATS.get(k) ?? 0) + 1);
    if (JSON.stringify(want) !== JSON.stringify(got))
      throw new Error(
        `${described}: the model says ${JSON.stringify(want)}, the runtime ${JSON.stringify(got)}` +
          `\nthe run:\n  ${m.script.join('\n  ')}`,
      );
  }
  protected grantAt(m: AgentSide, index: number): number {
    return index % Math.max(1, (m.state.agentGrants ?? []).length);
  }
  toString(): string {
    return this.described ?? this.constructor.name;
  }
}

export const claimsOf = (jwt: string) =>
  JSON.parse(Buffer.from(jwt.split('.')[1] ?? '', 'base64url').toString()) as { grant: string };

/** A person connects the agent to an organization (consent page, Allow, the code's exchange). */
export class Connect extends AgentCommand {
  constructor(
    readonly user: string,
    readonly org: string,
  ) {
    super();
  }
  protected async act(m: AgentSide, app: AgentsApp) {
    const p = person(this.user);
    const { tokens } = await connectAgent(app, this.user, this.org);
    const id = tokens.status === 200 ? claimsOf(String(tokens.body.access_token)).grant : '?';
    const made = connection(m.state, SERVER, p, this.org, app.clientId, id);
    const want = consentOffers(m.state, SERVER, p, this.org) && made.connected;
    this.step(m, `${this.user} connects an agent to ${this.org}`, want, tokens.status === 200);
    if (!want) return;
    m.state = made.state;
    m.tokens.push({
      access: String(tokens.body.access_token),
      issuedAt: app.clock.now,
      refresh: String(tokens.body.refresh_token),
    });
  }
}

/** The agent of a grant refreshes with its latest refresh token. */
export class Refresh extends AgentCommand {
  protected override needsGrant = true;
  constructor(readonly index: number) {
    super();
  }
  protected async act(m: AgentSide, app: AgentsApp) {
    const at = this.grantAt(m, this.index);
    const t = m.tokens[at] as Tokens;
    const r = await postForm(app, 'oauth-token', 'oauth/token', {
      grant_type: 'refresh_token',
      refresh_token: t.refresh,
      client_id: app.clientId,
    });
    const refused = refreshRefusal(m.state, SERVER, at);
    const want: Expected = refused ? { status: 400, problem: 'invalid_grant' } : { status: 200 };
    this.step(m, `agent #${String(at)} refreshes`, want, answerOf(r));
    if (r.status === 200)
      m.tokens[at] = {
        access: String(r.body.access_token),
        issuedAt: app.clock.now,
        refresh: String(r.body.refresh_token),
      };
  }
}

/** The agent's JSON-RPC message to `api/mcp` on `app` with `access`, naming `named` (or no organization). */
export function sendMcp(
  app: AgentsApp,
  access: string,
  named: string | undefined,
  message: AgentMessage,
): Promise<Reply> {
  const rpc =
    'method' in message
      ? { method: 'tools/list' }
      : {
          method: 'tools/call',
          params: {
            name: `note_${message.call}`,
            arguments: message.call === 'create' ? { title: 't' } : {},
          },
        };
  return app.call('atakora-mcp', 'POST', 'mcp', {
    headers: {
      authorization: `Bearer ${access}`,
      accept: 'application/json, text/event-stream',
      ...(named !== undefined ? { 'x-atakora-tenant': named } : {}),
    },
    body: { jsonrpc: '2.0', id: 1, ...rpc },
  });
}

/** The agent of a grant sends `tools/list` or a `tools/call` to `api/mcp`, naming an organization or none. */
export class Use extends AgentCommand {
  protected override needsGrant = true;
  constructor(
    readonly index: number,
    readonly named: string | undefined,
    readonly message: AgentMessage,
  ) {
    super();
  }
  protected async act(m: AgentSide, app: AgentsApp) {
    const at = this.grantAt(m, this.index);
    const t = m.tokens[at] as Tokens;
    const r = await sendMcp(app, t.access, this.named, this.message);
    // The token's own life (jose: expired once `exp` <= now, in whole seconds).
    const expired = Math.floor(t.issuedAt / 1000) + ACCESS_S <= Math.floor(app.clock.now / 1000);
    const want = expired
      ? { status: 401, problem: 'agent-token-invalid' }
      : agentRequest(m.state, SERVER, at, this.named, this.message);
    const what = 'method' in this.message ? 'tools/list' : `calls note_${this.message.call}`;
    this.step(
      m,
      `agent #${String(at)} ${what} naming ${String(this.named)}`,
      want,
      mcpAnswer(r, this.message),
    );
  }
}

/** A grant revoked: by its person (`api/me/agents`), by someone of an organization, or by the agent (RFC 7009). */
export class Revoke extends AgentCommand {
  protected override needsGrant = true;
  constructor(
    readonly index: number,
    readonly by: 'person' | 'agent' | { user: string; org: string } | { user: string },
  ) {
    super();
  }
  protected async act(m: AgentSide, app: AgentsApp) {
    const at = this.grantAt(m, this.index);
    const g = (m.state.agentGrants ?? [])[at];
    const id = g?.id ?? 'none';
    if (this.by === 'agent') {
      const r = await postForm(app, 'oauth-revoke', 'oauth/revoke', {
        token: m.tokens[at]?.refresh ?? '',
        client_id: app.clientId,
      });
      this.step(m, `agent #${String(at)} revokes itself`, { status: 200 }, answerOf(r));
      m.state = agentRevocation(m.state, at);
      return;
    }
    const user = this.by === 'person' ? (g?.person ?? 'ada') : this.by.user;
    const org = typeof this.by === 'object' && 'org' in this.by ? this.by.org : undefined;
    const want = grantRevocation(m.state, person(user), org, at);
    const r =
      org === undefined
        ? await app.call('agents-my-grant', 'DELETE', `me/agents/${id}`, {
            headers: signedIn(user),
            params: { grant: id },
          })
        : await app.call('agents-organization-grant', 'DELETE', `tenant/agents/${id}`, {
            headers: inOrg(user, org),
            params: { grant: id },
          });
    const where = org === undefined ? 'as their own' : `in ${org}`;
    this.step(m, `${user} revokes agent #${String(at)} ${where}`, want.expected, answerOf(r));
    m.state = want.state;
  }
}

/** `GET api/me/agents` by a person, or `GET api/tenant/agents` by someone naming an organization. */
export class List extends AgentCommand {
  constructor(
    readonly user: string,
    readonly org: string | undefined,
  ) {
    super();
  }
  protected async act(m: AgentSide, app: AgentsApp) {
    const p = person(this.user);
    const want =
      this.org === undefined
        ? { status: 200, body: myAgents(m.state, p).sort() }
        : organizationAgents(m.state, p, this.org);
    const r =
      this.org === undefined
        ? await app.call('agents-mine', 'GET', 'me/agents', { headers: signedIn(this.user) })
        : await app.call('agents-organization', 'GET', 'tenant/agents', {
            headers: inOrg(this.user, this.org),
          });
    const ids =
      r.status === 200 ? (r.body.items as { id: string }[]).map((g) => g.id).sort() : undefined;
    const sorted =
      want.body === undefined ? want : { ...want, body: [...(want.body as string[])].sort() };
    this.step(
      m,
      `${this.user} lists the agents ${this.org === undefined ? 'of theirs' : `of ${this.org}`}`,
      sorted,
      answerOf(r, ids),
    );
  }
}

/** A member removed by someone (by themselves: they leave), or their roles changed. */
export class Member extends AgentCommand {
  constructor(
    readonly by: string,
    readonly org: string,
    readonly target: string,
    readonly roles: readonly string[] | undefined,
  ) {
    super();
  }
  protected async act(m: AgentSide, app: AgentsApp) {
    const want = changeMember(m.state, person(this.by), this.org, this.target, this.roles);
    const r = await app.call(
      'membership-member',
      this.roles ? 'PATCH' : 'DELETE',
      `tenant/members/${this.target}`,
      {
        headers: inOrg(this.by, this.org),
        params: { userId: this.target },
        ...(this.roles ? { body: { roles: this.roles } } : {}),
      },
    );
    const what = this.roles
      ? `makes ${this.target} ${this.roles.join('+')}`
      : this.by === this.target
        ? 'leaves'
        : `removes ${this.target}`;
    this.step(m, `${this.by} ${what} in ${this.org}`, want.expected, answerOf(r));
    m.state = want.state;
  }
}

/** Someone invites a person into an organization, who accepts at once (a removed person re-admitted by an Owner). */
export class Readmit extends AgentCommand {
  constructor(
    readonly by: string,
    readonly org: string,
    readonly invitee: string,
    readonly roles: readonly string[],
  ) {
    super();
  }
  protected async act(m: AgentSide, app: AgentsApp) {
    const sent = invite(m.state, person(this.by), this.org, this.invitee, this.roles);
    const r = await app.call('membership-invitations', 'POST', 'tenant/invitations', {
      headers: inOrg(this.by, this.org),
      body: { email: `${this.invitee}@example.com`, roles: this.roles },
    });
    const described = `${this.by} invites ${this.invitee} into ${this.org} as ${this.roles.join('+')}`;
    this.step(m, described, sent.expected, answerOf(r));
    m.state = sent.state;
    if (sent.expected.status !== 201) return;
    const token = new URL(String(r.body.acceptUrl)).searchParams.get('invitation') ?? '';
    const took = accept(m.state, person(this.invitee), (m.state.invitations ?? []).length - 1);
    const a = await app.call('membership-accept', 'POST', 'invitations/accept', {
      headers: signedIn(this.invitee),
      body: { token },
    });
    this.step(m, `${this.invitee} accepts`, took.expected, answerOf(a));
    m.state = took.state;
  }
}

/** The operator moves an organization to a plan, suspends or resumes it (past the registry cache's bound). */
export class Operator extends AgentCommand {
  constructor(
    readonly org: string,
    readonly to: 'free' | 'pro' | 'suspended' | 'active',
  ) {
    super();
  }
  /** Not an organization an Owner deleted: its record is the Owner's moves' (owners.model.test.ts). */
  override check(m: Readonly<AgentSide>): boolean {
    return m.state.registry?.get(this.org)?.deleteOn === undefined;
  }
  protected async act(m: AgentSide, app: AgentsApp) {
    const was = m.state.registry?.get(this.org);
    if (!was || was.deleteOn !== undefined) return;
    const next =
      this.to === 'free' || this.to === 'pro'
        ? { ...was, plan: this.to }
        : { ...was, status: this.to };
    const { resource } = await app.c.tenants.item(this.org, this.org).read();
    await app.c.tenants.items.upsert({
      ...(resource ?? record(this.org)),
      plan: next.plan,
      status: next.status,
    });
    app.clock.now += CACHE_MS;
    m.state = { ...m.state, registry: new Map(m.state.registry).set(this.org, next) };
    this.step(m, `the operator makes ${this.org} ${this.to}`, true, true);
  }
}

/** An Owner deletes their organization (`DELETE api/tenant`) or undeletes it. */
export class Owner extends AgentCommand {
  constructor(
    readonly by: string,
    readonly org: string,
    readonly undelete: boolean,
  ) {
    super();
  }
  protected async act(m: AgentSide, app: AgentsApp) {
    const p = person(this.by);
    const now = app.clock.now;
    const want = this.undelete
      ? undeleted(m.state, p, this.org, now)
      : deleted(m.state, p, this.org, now, DELETE_DAYS);
    const r = this.undelete
      ? await app.call('membership-tenant-undelete', 'POST', 'tenant/undelete', {
          headers: inOrg(this.by, this.org),
        })
      : await app.call('tenant-self', 'DELETE', 'tenant', { headers: inOrg(this.by, this.org) });
    const what = this.undelete ? 'undeletes' : 'deletes';
    this.step(m, `${this.by} ${what} ${this.org}`, want.expected, answerOf(r));
    m.state = want.state;
  }
}

/** Time passes on the run's clock. */
export class Pass extends AgentCommand {
  constructor(readonly ms: number) {
    super();
  }
  protected async act(m: AgentSide, app: AgentsApp) {
    app.clock.now += this.ms;
    this.step(m, `${String(this.ms / 1000)} s pass`, true, true);
  }
}
