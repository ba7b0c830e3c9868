/// <reference lib="dom" />
/// <reference lib="dom.iterable" />
import type { OrganizationDomain } from '../contract/domains/domain-shapes.js';
import type { MyTenant } from '../contract/member-shapes.js';
import type { PlanOffer } from '../contract/plans/plan-offers.js';
import type { CreatedScimToken, ScimToken } from '../contract/scim/scim.js';
import { ProblemError } from '../client/problem-error.js';
import { AtakoraElement } from './base.js';
import { apiRoot, connectionOf, getJson } from './connection.js';
import { type Child, h } from './dom.js';
import { type DirectoryState, directoryPart } from './enterprise-directory.js';
import { domainsPart } from './enterprise-domains.js';
import { scimPart } from './enterprise-scim.js';
import { inOrganization, plansOnce, type UpgradeRoute, upgradeRoute } from './membership.js';
import { may } from './rules.js';
import { hasFeature, lockedPart } from './section.js';
import type { OrganizationDirectory } from '../contract/enterprise/directory.js';

interface Data {
  readonly org: MyTenant;
  readonly features?: readonly string[];
  readonly plans: readonly PlanOffer[];
  /** How a locked part's Owner changes the plan (membership.ts `upgradeRoute`). */
  readonly route: UpgradeRoute;
  readonly domains?: readonly OrganizationDomain[];
  readonly directory?: DirectoryState;
  readonly scim?: readonly ScimToken[];
  readonly scimUrl: string;
}

/** The link, none (404), or the backend's reason it serves none (400 `directory-not-supported`). */
async function directoryOf(): Promise<DirectoryState> {
  try {
    return { link: await getJson<OrganizationDirectory>('tenant/directory') };
  } catch (e) {
    if (e instanceof ProblemError && e.status === 404) return { link: null };
    if (e instanceof ProblemError && e.code === 'directory-not-supported')
      return { unsupported: e.detail };
    throw e;
  }
}

/**
 * `<atakora-enterprise>`: what an IT admin sets up for an organization (docs/enterprise.md) — verified domains with
 * their TXT record and Verify, who joins through each; the Microsoft Entra directory link; SCIM tokens, each shown
 * once. Every control is an Owner's (the routes' rule); an Admin reads the domains and the link; a Member is told
 * that Owners and Admins manage it. A part whose feature (`domains`, `directory`, `scim`) the plan lacks shows the
 * plans that have it and, for an Owner, the upgrade. `roles`: the roles a directory's users and a domain's joiners may
 * join as (default `Admin,Member`; never Owner).
 *
 * @example
 * ```html
 * <atakora-enterprise roles="Admin,Member"></atakora-enterprise>
 * ```
 */
export class AtakoraEnterprise extends AtakoraElement<Data> {
  static override get observedAttributes(): string[] {
    return ['lang', 'roles'];
  }
  #created: CreatedScimToken | undefined;
  /** The domain whose join-role editor is open. */
  #editing: string | undefined;

  protected heading(): string {
    return this.t('enterprise');
  }

  protected async load(): Promise<Data> {
    const org = await inOrganization();
    const { client } = await connectionOf();
    const roles = org.roles;
    const [tenant, { items: plans }, scimUrl] = await Promise.all([
      client.tenant(),
      plansOnce(),
      apiRoot().then((root) => `${root}/scim/v2`),
    ]);
    const on = (f: string) => hasFeature(tenant.features, f);
    const [domains, directory, scim, route] = await Promise.all([
      on('domains') && may('domains:list', roles) ? client.domains.list() : undefined,
      on('directory') && may('directory:read', roles) ? directoryOf() : undefined,
      on('scim') && may('scim-tokens:list', roles) ? client.tenant.scimTokens.list() : undefined,
      ['domains', 'directory', 'scim'].every(on)
        ? ('checkout' as const)
        : upgradeRoute(roles, plans, tenant),
    ]);
    return {
      org,
      plans,
      scimUrl,
      route,
      ...(tenant.features ? { features: tenant.features } : {}),
      ...(domains ? { domains } : {}),
      ...(directory ? { directory } : {}),
      ...(scim ? { scim } : {}),
    };
  }

  protected view(data: Data): Child[] {
    const roles = data.org.roles;
    if (!may('domains:list', roles)) return [h('p', { part: 'empty' }, this.t('enterpriseOwners'))];
    const s = this.section();
    const owner = may('domains:create', roles);
    const locked = (feature: string, title: string) =>
      lockedPart(s, {
        title,
        feature,
        plans: data.plans,
        owner: may('billing:checkout', roles),
        route: data.route,
      });
    const offered = (this.getAttribute('roles') ?? 'Admin,Member')
      .split(',')
      .map((r) => r.trim())
      .filter(Boolean);
    return [
      data.domains
        ? domainsPart(s, {
            items: data.domains,
            owner,
            ...(may('domains:update', roles)
              ? {
                  editor: {
                    roles: offered,
                    open: this.#editing,
                    show: (domain: string | undefined, focus: string) => {
                      this.#editing = domain;
                      this.rerender();
                      (this.shadowRoot ?? this)
                        .querySelector<HTMLElement>(`[data-key="${CSS.escape(focus)}"]`)
                        ?.focus();
                    },
                  },
                }
              : {}),
          })
        : locked('domains', this.t('domains')),
      data.directory
        ? directoryPart(s, {
            state: data.directory,
            owner: may('directory:link', roles),
            roles: offered,
          })
        : locked('directory', this.t('directory')),
      // SCIM is an Owner's alone: an Admin sees neither its tokens nor its lock.
      may('scim-tokens:list', roles)
        ? data.scim
          ? scimPart(s, {
              items: data.scim,
              url: data.scimUrl,
              ...(this.#created ? { created: this.#created } : {}),
              onCreated: (token) => {
                this.#created = token;
              },
            })
          : locked('scim', this.t('scim'))
        : null,
    ];
  }
}
