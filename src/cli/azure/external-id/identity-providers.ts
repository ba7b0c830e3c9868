import { graphCall, graphList, type GraphSession } from './graph-session.js';

/** One social identity provider as `auth setup` wants it in the external tenant. */
export interface SocialProviderWanted {
  readonly type: 'google' | 'facebook';
  readonly clientId: string;
  /** The secret's name in the vault's terms (`GOOGLE_CLIENT_SECRET`), for messages. */
  readonly secretName: string;
  /** Reads the secret from the environment's Key Vault (only when it is to be sent). */
  readonly readSecret: () => Promise<string>;
}

/** One line of what `auth setup` did. */
export interface SetupChange {
  readonly subject: string;
  readonly action: 'created' | 'updated' | 'added' | 'removed' | 'linked' | 'unchanged';
  readonly detail?: string;
}

/** Graph's identityProviderType of each social provider (Learn, socialIdentityProvider resource type). */
const GRAPH_TYPE = { google: 'Google', facebook: 'Facebook' } as const;

/** A provider as Graph lists it (`clientSecret` always reads `******`: write-only). */
interface IdentityProviderItem {
  readonly '@odata.type'?: string;
  readonly id?: string;
  readonly identityProviderType?: string;
  readonly clientId?: string;
}

/**
 * Each wanted social provider present in the external tenant with its client id and the vault's secret, and its
 * Graph id (for the user flow). Found by type — a tenant holds one provider of each — so a second run finds the
 * first's: `unchanged` when the client id is the same (the secret, which Graph never returns, is sent again only
 * with `rotate`), `updated` (PATCH) when the client id differs, `created` (POST) when missing. A secret is read
 * from the vault only when it is sent, and is added to the session's redactions before it is.
 *
 * Graph v1.0: "List identityProviders" `GET /identity/identityProviders`
 * (https://learn.microsoft.com/graph/api/identitycontainer-list-identityproviders), "Create identityProvider"
 * `POST /identity/identityProviders` with a socialIdentityProvider (201; its id is `<Type>-OAUTH`,
 * https://learn.microsoft.com/graph/api/identitycontainer-post-identityproviders), "Update identityProvider"
 * `PATCH /identity/identityProviders/{id}` (204, https://learn.microsoft.com/graph/api/identityproviderbase-update).
 *
 * @example
 * ```ts
 * const { ids, changes } = await ensureSocialProviders(session, [{ type: 'google', clientId, secretName: 'GOOGLE_CLIENT_SECRET', readSecret }], false);
 * ```
 */
export async function ensureSocialProviders(
  session: GraphSession,
  wanted: readonly SocialProviderWanted[],
  rotate: boolean,
): Promise<{ ids: string[]; changes: SetupChange[] }> {
  if (wanted.length === 0) return { ids: [], changes: [] };
  const present = await graphList<IdentityProviderItem>(session, {
    path: '/identity/identityProviders',
    what: 'listing the identity providers',
    area: 'identityProviders',
  });
  const ids: string[] = [];
  const changes: SetupChange[] = [];
  for (const w of wanted) {
    const type = GRAPH_TYPE[w.type];
    const subject = `identity provider ${type}`;
    // Google and Facebook are social providers only, one each per tenant, their id `<Type>-OAUTH`.
    const found = present.find((p) => p.identityProviderType === type || p.id === `${type}-OAUTH`);
    if (found?.id && found.clientId === w.clientId && !rotate) {
      ids.push(found.id);
      changes.push({ subject, action: 'unchanged', detail: `client id ${w.clientId}` });
      continue;
    }
    const secret = await w.readSecret();
    session.redact.push(secret);
    const body = {
      '@odata.type': '#microsoft.graph.socialIdentityProvider',
      clientId: w.clientId,
      clientSecret: secret,
    };
    if (found?.id) {
      await graphCall(session, {
        method: 'PATCH',
        path: `/identity/identityProviders/${encodeURIComponent(found.id)}`,
        json: body,
        what: `updating the ${type} identity provider`,
        area: 'identityProviders',
      });
      ids.push(found.id);
      changes.push({
        subject,
        action: 'updated',
        detail:
          found.clientId === w.clientId
            ? `${w.secretName} sent again from the vault`
            : `client id ${w.clientId}, ${w.secretName} from the vault`,
      });
      continue;
    }
    const created = (
      await graphCall(session, {
        method: 'POST',
        path: '/identity/identityProviders',
        json: { ...body, displayName: type, identityProviderType: type },
        what: `creating the ${type} identity provider`,
        area: 'identityProviders',
      })
    ).json() as IdentityProviderItem | undefined;
    ids.push(created?.id ?? `${type}-OAUTH`);
    changes.push({
      subject,
      action: 'created',
      detail: `client id ${w.clientId}, ${w.secretName} from the vault`,
    });
  }
  return { ids, changes };
}
