import { MCP_SCOPE } from '../../../contract/mcp/oauth/metadata.js';
import type { AgentClient, ClientLookup } from './client-metadata.js';
import { isS256Challenge } from './pkce.js';

/** An authorization request the consent page may be shown for: every parameter checked. */
export interface AuthorizeRequest {
  readonly client: AgentClient;
  readonly redirectUri: string;
  readonly state: string | undefined;
  readonly codeChallenge: string;
  readonly resource: string;
}

/**
 * What an authorization request is: one to consent to; an error sent back to the client's redirect (RFC 6749
 * §4.1.2.1: the client and its redirect are known good, so the client is told, with `state` and `iss`); or an
 * error the page explains and never redirects — a missing or unknown client, or a redirect URI that is not one of
 * the client's exactly (redirecting there would make the server an open redirector, RFC 9700 §4.11.2).
 */
export type AuthorizeVerdict =
  | { readonly kind: 'consent'; readonly request: AuthorizeRequest }
  | {
      readonly kind: 'redirect-error';
      readonly redirectUri: string;
      readonly error:
        | 'invalid_request'
        | 'unsupported_response_type'
        | 'invalid_scope'
        | 'invalid_target';
      readonly description: string;
      readonly state: string | undefined;
    }
  | { readonly kind: 'page-error'; readonly error: string; readonly description: string };

/** The `client_id` of an authorization request, or undefined when it has none usable. */
export function clientIdOf(query: URLSearchParams): string | undefined {
  const ids = query.getAll('client_id');
  return ids.length === 1 && ids[0] ? ids[0] : undefined;
}

/**
 * Check an authorization request (`GET api/oauth/authorize`) against its client's metadata document (looked up by
 * {@link clientIdOf}): `response_type=code`, PKCE with S256 (OAuth 2.1; RFC 7636), the redirect URI one of the
 * client's exactly, `resource` the MCP URL when sent (RFC 8707 §2: `invalid_target`), the scope `mcp` or none. A
 * parameter given twice is `invalid_request` (RFC 6749 §3.1: "MUST NOT be included more than once").
 *
 * @example
 * ```ts
 * const verdict = authorizeVerdict(url.searchParams, await clients.lookup(clientIdOf(url.searchParams) ?? ''), mcpUrl);
 * ```
 */
export function authorizeVerdict(
  query: URLSearchParams,
  lookup: ClientLookup | undefined,
  mcpUrl: string,
): AuthorizeVerdict {
  if (!lookup)
    return { kind: 'page-error', error: 'invalid_request', description: 'client_id is missing.' };
  if (!lookup.ok)
    return { kind: 'page-error', error: lookup.error, description: lookup.description };
  const client = lookup.client;
  const redirects = query.getAll('redirect_uri');
  // With a metadata document of one redirect URI, RFC 6749 §3.1.2.3 lets the request leave it out.
  const redirectUri =
    redirects.length === 0 && client.redirectUris.length === 1
      ? client.redirectUris[0]
      : redirects[0];
  if (
    redirects.length > 1 ||
    redirectUri === undefined ||
    !client.redirectUris.includes(redirectUri)
  )
    return {
      kind: 'page-error',
      error: 'invalid_request',
      description: `The redirect_uri is not one of ${client.name}'s registered redirect URIs (compared exactly).`,
    };
  const states = query.getAll('state');
  const state = states[0];
  const fail = (
    error: 'invalid_request' | 'unsupported_response_type' | 'invalid_scope' | 'invalid_target',
    description: string,
  ): AuthorizeVerdict => ({ kind: 'redirect-error', redirectUri, error, description, state });
  for (const name of [
    'response_type',
    'code_challenge',
    'code_challenge_method',
    'state',
    'scope',
    'resource',
  ])
    if (query.getAll(name).length > 1) return fail('invalid_request', `${name} is given twice.`);
  if (query.get('response_type') !== 'code')
    return fail('unsupported_response_type', 'Only response_type=code is served.');
  const challenge = query.get('code_challenge');
  if (!isS256Challenge(challenge))
    return fail(
      'invalid_request',
      'PKCE is required: code_challenge (S256, 43 characters) is missing or malformed.',
    );
  if (query.get('code_challenge_method') !== 'S256')
    return fail('invalid_request', 'code_challenge_method must be S256.');
  const scope = query.get('scope');
  if (scope !== null && scope.split(' ').some((s) => s !== '' && s !== MCP_SCOPE))
    return fail('invalid_scope', `The only scope is ${MCP_SCOPE}.`);
  const resource = query.get('resource');
  if (resource !== null && resource.replace(/\/+$/, '') !== mcpUrl)
    return fail('invalid_target', `The only resource is the MCP server ${mcpUrl}.`);
  return {
    kind: 'consent',
    request: { client, redirectUri, state, codeChallenge: challenge, resource: mcpUrl },
  };
}

/**
 * The URL the client's redirect gets: its query kept, the answer's parameters added, and `iss` (RFC 9207 §2: the
 * issuer, so a client talking to several servers can tell whose answer it is).
 *
 * @example
 * ```ts
 * redirectWith('https://claude.ai/cb', { code, state }, issuer);
 * ```
 */
export function redirectWith(
  redirectUri: string,
  params: Readonly<Record<string, string | undefined>>,
  issuer: string,
): string {
  const url = new URL(redirectUri);
  for (const [k, v] of Object.entries(params)) if (v !== undefined) url.searchParams.set(k, v);
  url.searchParams.set('iss', issuer);
  return url.toString();
}
