import type { HttpRequest, HttpResponseInit } from '@azure/functions';
import { mcpResourceOf } from '../../../contract/mcp/oauth/metadata.js';
import { Caller } from '../../caller/caller-view.js';
import { cosmosErrorResponse } from '../../http/cosmos-errors.js';
import { methodNotAllowed } from '../../http/response.js';
import { newAuthorizationCode } from '../../mcp/oauth/authorization-code.js';
import {
  type AuthorizeRequest,
  authorizeVerdict,
  clientIdOf,
  redirectWith,
} from '../../mcp/oauth/authorize-request.js';
import { consentToken, consentTokenValid } from '../../mcp/oauth/consent-csrf.js';
import { consentHeaders, consentPage, refusalPage } from '../../mcp/oauth/consent-page.js';
import { roomForGrant } from '../../mcp/oauth/grant-life.js';
import type { AgentsApi } from './agents-api.js';
import { consentOrganizations } from './consent-organizations.js';

/** The longest consent form read: its three fields are far shorter. */
const MAX_FORM = 8 * 1024;

/** The API's base as this request reached it: the issuer (RFC 8414 §2) and the MCP resource's parent. */
export const issuerOf = (request: Pick<HttpRequest, 'url'>): string =>
  `${new URL(request.url).origin}/api`;

/**
 * A redirect to the client (RFC 6749 §4.1.2): never cached, no referrer (the code is in the query).
 *
 * @example
 * ```ts
 * return redirectTo(redirectWith(uri, { code, state }, issuer));
 * ```
 */
export const redirectTo = (location: string): HttpResponseInit => ({
  status: 302,
  headers: { Location: location, 'Cache-Control': 'no-store', 'Referrer-Policy': 'no-referrer' },
});

/**
 * `GET|POST api/oauth/authorize` (DESIGN §2; RFC 6749 §4.1.1, OAuth 2.1, MCP 2025-11-25 basic/authorization):
 * behind the person's sign-in. A request whose client or redirect cannot be trusted is an explained page, never a
 * redirect (authorize-request.ts: no open redirector); any other fault goes back to the client's redirect as OAuth
 * says. GET shows the consent page (consent-page.ts) for the organizations the person may connect the agent to;
 * POST is its form: the CSRF token bound to the person and this exact request (consent-csrf.ts), then Deny →
 * `error=access_denied`, Allow → a single-use code for the picked organization, each with `state` and `iss` (RFC
 * 9207 §2). A person past `grantsPerPerson` in the organization is refused on the page.
 *
 * @example
 * ```ts
 * app.http('oauth-authorize', { route: 'oauth/authorize', methods: ['GET', 'POST'], handler: authorizeHandler(api) });
 * ```
 */
export function authorizeHandler(api: AgentsApi) {
  return async (request: HttpRequest): Promise<HttpResponseInit> => {
    try {
      return await authorize(api, request);
    } catch (e) {
      const unavailable = cosmosErrorResponse(e, 'the members container');
      if (unavailable) return unavailable;
      throw e;
    }
  };
}

async function authorize(api: AgentsApi, request: HttpRequest): Promise<HttpResponseInit> {
  const method = request.method.toUpperCase();
  if (method !== 'GET' && method !== 'POST')
    return methodNotAllowed(['GET', 'POST'], method).response;
  const person = Caller.of(request, api.policy);
  if (person.refusal) return person.refusal;
  const userId = person.id;
  if (userId === undefined) return refusalPage(403, 'access_denied', 'Sign in first.');
  const url = new URL(request.url);
  const issuer = issuerOf(request);
  const clientId = clientIdOf(url.searchParams);
  const lookup = clientId === undefined ? undefined : await api.clients.lookup(clientId);
  const verdict = authorizeVerdict(url.searchParams, lookup, mcpResourceOf(issuer));
  if (verdict.kind === 'page-error') return refusalPage(400, verdict.error, verdict.description);
  if (verdict.kind === 'redirect-error')
    return redirectTo(
      redirectWith(
        verdict.redirectUri,
        { error: verdict.error, error_description: verdict.description, state: verdict.state },
        issuer,
      ),
    );
  const asked = verdict.request;
  const organizations = await consentOrganizations(api, person);
  if (organizations.length === 0)
    return refusalPage(
      403,
      'access_denied',
      'You are a member of no organization where an agent may use this API: there is nothing to connect it to.',
    );
  const keys = await api.keys();
  const now = api.now();
  if (method === 'GET')
    return {
      status: 200,
      headers: consentHeaders(asked.redirectUri),
      body: consentPage({
        clientName: asked.client.name,
        clientHost: asked.client.host,
        ...(asked.client.registered ? { registered: true } : {}),
        redirectUri: asked.redirectUri,
        person: person.name ?? person.email ?? userId,
        organizations,
        action: `${url.pathname}${url.search}`,
        csrf: consentToken(keys.consent, userId, url.search, now),
      }),
    };
  const text = await request.text();
  const form = new URLSearchParams(text.length > MAX_FORM ? '' : text);
  if (!consentTokenValid(keys.consent, form.get('csrf'), userId, url.search, now))
    return refusalPage(
      403,
      'invalid_request',
      'This consent form expired or was not the one this server showed you: start connecting the agent again.',
    );
  const decision = form.get('decision');
  if (decision === 'deny')
    return redirectTo(
      redirectWith(
        asked.redirectUri,
        {
          error: 'access_denied',
          error_description: 'The person denied access.',
          state: asked.state,
        },
        issuer,
      ),
    );
  if (decision !== 'allow')
    return refusalPage(400, 'invalid_request', 'The form answers allow or deny.');
  return allow(api, {
    asked,
    issuer,
    person,
    userId,
    organization: form.get('organization') ?? '',
    now,
    organizations,
  });
}

/** Allow: a code for the picked organization, if it is one offered and the person has room for one more grant. */
async function allow(
  api: AgentsApi,
  a: {
    readonly asked: AuthorizeRequest;
    readonly issuer: string;
    readonly person: Caller;
    readonly userId: string;
    readonly organization: string;
    readonly now: number;
    readonly organizations: readonly { readonly id: string }[];
  },
): Promise<HttpResponseInit> {
  if (!a.organizations.some((o) => o.id === a.organization))
    return refusalPage(
      403,
      'access_denied',
      'Pick one of the organizations the page offers: an agent is connected only where you may use it.',
    );
  const held = (await api.store.grantsIn(a.organization)).filter((g) => g.person === a.userId);
  if (!roomForGrant(held, a.asked.client.clientId, api.config.grantsPerPerson))
    return refusalPage(
      403,
      'access_denied',
      `You have ${String(api.config.grantsPerPerson)} agents connected to ${a.organization}, as many as you may: ` +
        'disconnect one (DELETE api/me/agents/{grant}) first.',
    );
  const directory = a.person.directory;
  const { code, record } = newAuthorizationCode(
    {
      clientId: a.asked.client.clientId,
      redirectUri: a.asked.redirectUri,
      codeChallenge: a.asked.codeChallenge,
      person: a.userId,
      organization: a.organization,
      resource: a.asked.resource,
      ...(directory !== undefined ? { directory } : {}),
    },
    a.now,
  );
  await api.store.createCode(record);
  return redirectTo(redirectWith(a.asked.redirectUri, { code, state: a.asked.state }, a.issuer));
}
