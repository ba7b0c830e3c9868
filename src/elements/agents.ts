/// <reference lib="dom" />
/// <reference lib="dom.iterable" />
import type { MyTenant } from '../contract/member-shapes.js';
import type { ConnectedAgent } from '../contract/mcp/oauth/agents.js';
import type { PlanOffer } from '../contract/plans/plan-offers.js';
import { AtakoraElement } from './base.js';
import { connectionOf } from './connection.js';
import { type Child, h } from './dom.js';
import { myOrganizations, plansOnce, type UpgradeRoute, upgradeRoute } from './membership.js';
import { may } from './rules.js';
import { actionButton, hasFeature, lockedPart, part, type Section } from './section.js';

/**
 * An agent's grant as `<atakora-agents>` shows it: the typed client's {@link ConnectedAgent} (`client.me.agents`,
 * `client.tenant.agents`; DESIGN §2, "Grants are data") — one person's consent for one client (a hosted MCP client:
 * its Client ID Metadata Document's URL, `client_name` and host) in one organization. Never a token.
 *
 * @example
 * ```ts
 * const g: AgentGrantView = {
 *   id: 'g1', person: 'u-1', organization: 'acme-k3x9qa', clientId: 'https://claude.ai/oauth/client.json',
 *   clientName: 'Claude', clientHost: 'claude.ai', connectedOn: '2026-11-28T10:00:00.000Z', lastUsedOn: null,
 * };
 * ```
 */
export type AgentGrantView = ConnectedAgent;

interface Data {
  readonly org?: MyTenant;
  readonly names: ReadonlyMap<string, string>;
  readonly mine: readonly AgentGrantView[];
  /** The organization's grants (an Owner's or an Admin's); undefined when not theirs to see. */
  readonly organization?: readonly AgentGrantView[];
  readonly plans: readonly PlanOffer[];
  readonly locked?: boolean;
  /** How the locked part's Owner changes the plan (membership.ts `upgradeRoute`). */
  readonly route?: UpgradeRoute;
}

/** The roles that list and revoke an organization's grants (DESIGN §2: `api/tenant/agents` "for Owners and Admins"). */
const MANAGERS = ['Owner', 'Admin'];

/**
 * `<atakora-agents>`: the agents (hosted MCP clients) the signed-in person connected, in every organization (`GET
 * api/me/agents`), each with Revoke (confirmed: `DELETE api/me/agents/{grant}`); for an Owner or an Admin also the
 * agents every member connected to the organization (`GET|DELETE api/tenant/agents…`). A plan without `mcp` shows the
 * plans that have it and, for an Owner, the upgrade.
 *
 * @example
 * ```html
 * <atakora-agents></atakora-agents>
 * ```
 */
export class AtakoraAgents extends AtakoraElement<Data> {
  protected heading(): string {
    return this.t('agents');
  }

  protected async load(): Promise<Data> {
    const { items, current: org } = await myOrganizations();
    const names = new Map(items.map((o) => [o.id, o.name ?? o.id]));
    const manager = org?.roles.some((r) => MANAGERS.includes(r)) === true;
    const { client } = await connectionOf();
    const [mine, tenant, plans] = await Promise.all([
      client.me.agents.list(),
      manager ? client.tenant() : undefined,
      manager ? plansOnce().then((p) => p.items) : [],
    ]);
    const base = { names, mine, plans, ...(org ? { org } : {}) };
    if (!tenant) return base;
    if (!hasFeature(tenant.features, 'mcp'))
      return { ...base, locked: true, route: await upgradeRoute(org?.roles, plans, tenant) };
    const organization = await client.tenant.agents.list();
    return { ...base, organization };
  }

  protected view(data: Data): Child[] {
    const s = this.section();
    const orgName = data.org ? (data.names.get(data.org.id) ?? data.org.id) : '';
    return [
      part(
        'mine',
        this.t('yourAgents'),
        this.#list(s, data.mine, 'me', (g) => data.names.get(g.organization) ?? g.organization),
      ),
      data.locked
        ? lockedPart(s, {
            title: this.t('organizationAgents', { name: orgName }),
            feature: 'mcp',
            plans: data.plans,
            owner: may('billing:checkout', data.org?.roles),
            ...(data.route ? { route: data.route } : {}),
          })
        : null,
      data.organization
        ? part(
            'organization',
            this.t('organizationAgents', { name: orgName }),
            this.#list(s, data.organization, 'tenant', (g) => g.person),
          )
        : null,
    ];
  }

  #list(
    s: Section,
    grants: readonly AgentGrantView[],
    scope: 'me' | 'tenant',
    whose: (g: AgentGrantView) => string,
  ): HTMLElement {
    if (!grants.length) return h('p', { part: 'empty' }, this.t('noAgents'));
    return h(
      'ul',
      { part: 'list' },
      ...grants.map((g) => {
        const name = g.clientName || g.clientHost;
        return h(
          'li',
          { part: 'item', 'data-grant': g.id, 'data-scope': scope },
          h(
            'span',
            { class: 'atk-grow' },
            h('strong', {}, name),
            ' ',
            h(
              'span',
              { class: 'atk-muted' },
              [
                g.clientHost,
                whose(g),
                this.t('connectedOn', { date: this.date(g.connectedOn) }),
              ].join(' · '),
            ),
          ),
          actionButton(s, {
            label: this.t('revoke'),
            aria: this.t('revokeAgent', { name, whose: whose(g) }),
            key: `revoke-${scope}-${g.id}`,
            kind: 'danger',
            confirm: this.t('confirmRevokeAgent', { name }),
            run: async () => (await connectionOf()).client[scope].agents.revoke(g.id),
            done: this.t('agentRevoked', { name }),
          }),
        );
      }),
    );
  }
}
