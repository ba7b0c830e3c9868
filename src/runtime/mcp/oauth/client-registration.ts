import { randomBytes } from 'node:crypto';
import { MCP_SCOPE } from '../../../contract/mcp/oauth/metadata.js';

/**
 * RFC 7591 dynamic client registration (`POST api/oauth/register`, only with `mcp.authorization.registration`): what
 * a registration request may ask, checked, and the client id it gets. The rules (docs/mcp.md, "Dynamic client
 * registration"):
 * - public clients only: `token_endpoint_auth_method` is `none` (RFC 7591 §2: "The client is a public client as
 *   defined in OAuth 2.0, Section 2.1, and does not have a client secret"); left out, `none` is registered in its
 *   place (§3.2.1: the server "MAY reject or replace any of the client's requested metadata values … and substitute
 *   them with suitable values") — anything else is `invalid_client_metadata`;
 * - `redirect_uris` required (§2: clients using flows with redirection "MUST register their redirection URI
 *   values"), each HTTPS or `http` on a loopback host — the MCP specification (2025-11-25 basic/authorization,
 *   "Communication Security"): "All redirect URIs MUST be either `localhost` or use HTTPS"; RFC 8252 §7.3's loopback
 *   redirects `http://127.0.0.1:{port}/{path}` and `http://[::1]:{port}/{path}` — with no fragment (RFC 6749 §3.1.2:
 *   "MUST NOT include a fragment component") and no user name; else `invalid_redirect_uri`;
 * - `grant_types` ⊆ {authorization_code, refresh_token} with authorization_code (§2.1: `code` as response type goes
 *   with authorization_code), `response_types` only `code`, `scope` only `mcp`, `client_name` at most 100 characters
 *   with no control or bidirectional-override character (a name that reorders itself on the page could pass for
 *   another) — else `invalid_client_metadata`;
 * - metadata it does not understand is ignored (§2: "The authorization server MUST ignore any client metadata sent
 *   by the client that it does not understand").
 */
export interface ClientRegistration {
  readonly clientName?: string;
  readonly redirectUris: readonly string[];
  readonly grantTypes: readonly GrantType[];
}

/** The grant types a registered client may use. */
export type GrantType = 'authorization_code' | 'refresh_token';

/** A registration taken, or the RFC 7591 §3.2.2 error refusing it. */
export type RegistrationVerdict =
  | { readonly ok: true; readonly registration: ClientRegistration }
  | {
      readonly ok: false;
      readonly error: 'invalid_redirect_uri' | 'invalid_client_metadata';
      readonly description: string;
    };

/** A registered client's id: this prefix and 256 random bits — never a URL, so never a metadata document's id. */
export const REGISTERED_CLIENT_PREFIX = 'dcr_';
/** The longest `client_name` taken. */
export const MAX_CLIENT_NAME = 100;
/** The most redirect URIs one client registers, and the longest one. */
export const MAX_REDIRECT_URIS = 10;
export const MAX_REDIRECT_URI_LENGTH = 2048;

const GRANT_TYPES: readonly GrantType[] = ['authorization_code', 'refresh_token'];
const LOOPBACK_HOSTS = new Set(['localhost', '127.0.0.1', '[::1]']);
// C0 and C1 controls, and the bidirectional embeddings, overrides and isolates (Unicode UAX #9).
// biome-ignore lint/suspicious/noControlCharactersInRegex: the control characters are what it finds.
const UNSHOWABLE = /[\u0000-\u001f\u007f-\u009f\u200e\u200f\u202a-\u202e\u2066-\u2069]/;

/**
 * A new registered client id (`dcr_` and 32 random bytes, base64url).
 *
 * @example
 * ```ts
 * newRegisteredClientId(); // 'dcr_3q2+…' (47 characters)
 * ```
 */
export const newRegisteredClientId = (): string =>
  `${REGISTERED_CLIENT_PREFIX}${randomBytes(32).toString('base64url')}`;

/**
 * Whether `clientId` has a registered client's shape (whether it is registered is the store's to say).
 *
 * @example
 * ```ts
 * isRegisteredClientId('https://claude.ai/oauth/mcp-client.json'); // false
 * ```
 */
export const isRegisteredClientId = (clientId: string): boolean =>
  /^dcr_[A-Za-z0-9_-]{43}$/.test(clientId);

/** Why `uri` may not be a registered redirect URI, or undefined when it may. */
export function redirectUriRefusal(uri: unknown): string | undefined {
  if (typeof uri !== 'string' || uri.length === 0) return 'each redirect URI is a string';
  if (uri.length > MAX_REDIRECT_URI_LENGTH)
    return `a redirect URI is at most ${String(MAX_REDIRECT_URI_LENGTH)} characters`;
  if (uri.includes('#')) return `${uri} has a fragment`;
  let url: URL;
  try {
    url = new URL(uri);
  } catch {
    return `${uri} is not an absolute URL`;
  }
  if (url.username || url.password) return `${uri} carries a user name`;
  if (url.protocol === 'https:') return undefined;
  if (url.protocol === 'http:' && LOOPBACK_HOSTS.has(url.hostname)) return undefined;
  return `${uri} is neither https nor http on localhost, 127.0.0.1 or [::1]`;
}

const metadataError = (description: string): RegistrationVerdict => ({
  ok: false,
  error: 'invalid_client_metadata',
  description,
});

const strings = (v: unknown): v is string[] =>
  Array.isArray(v) && v.every((s) => typeof s === 'string');

/** `grant_types` as registered (both when left out: the server's substitution, §3.2.1), or the refusal. */
function grantTypesOf(v: unknown): readonly GrantType[] | string {
  if (v === undefined) return GRANT_TYPES;
  if (!strings(v) || v.some((g) => !(GRANT_TYPES as readonly string[]).includes(g)))
    return 'grant_types are authorization_code and refresh_token only';
  if (!v.includes('authorization_code'))
    return 'grant_types must include authorization_code (the only response type is code)';
  return GRANT_TYPES.filter((g) => v.includes(g));
}

/** Why the fields other than `redirect_uris` and `grant_types` are refused, or undefined. */
function otherRefusal(body: Record<string, unknown>): string | undefined {
  const method = body['token_endpoint_auth_method'];
  if (method !== undefined && method !== 'none')
    return `token_endpoint_auth_method ${JSON.stringify(method)} is not taken: clients here are public ('none')`;
  const responses = body['response_types'];
  if (responses !== undefined && (!strings(responses) || responses.some((r) => r !== 'code')))
    return 'response_types is code only';
  const scope = body['scope'];
  if (
    scope !== undefined &&
    (typeof scope !== 'string' || scope.split(' ').some((s) => s !== '' && s !== MCP_SCOPE))
  )
    return `the only scope is ${MCP_SCOPE}`;
  const name = body['client_name'];
  if (name === undefined) return undefined;
  if (typeof name !== 'string' || name.trim() === '') return 'client_name is a non-empty string';
  if (name.trim().length > MAX_CLIENT_NAME)
    return `client_name is at most ${String(MAX_CLIENT_NAME)} characters`;
  if (UNSHOWABLE.test(name)) return 'client_name has a control or bidirectional-override character';
  return undefined;
}

/**
 * A registration request's JSON body (RFC 7591 §3.1) checked as {@link ClientRegistration} describes.
 *
 * @example
 * ```ts
 * registrationOf({ redirect_uris: ['http://127.0.0.1:33418/callback'], client_name: 'My agent' }).ok; // true
 * registrationOf({ redirect_uris: ['http://example.com/cb'] }); // { ok: false, error: 'invalid_redirect_uri', … }
 * ```
 */
export function registrationOf(body: unknown): RegistrationVerdict {
  if (typeof body !== 'object' || body === null || Array.isArray(body))
    return metadataError('The body is a JSON object of client metadata (RFC 7591 §2).');
  const b = body as Record<string, unknown>;
  const uris = b['redirect_uris'];
  const redirect = (description: string): RegistrationVerdict => ({
    ok: false,
    error: 'invalid_redirect_uri',
    description,
  });
  if (!Array.isArray(uris) || uris.length === 0)
    return redirect('redirect_uris is required: a non-empty list of redirect URIs.');
  if (uris.length > MAX_REDIRECT_URIS)
    return redirect(`At most ${String(MAX_REDIRECT_URIS)} redirect URIs are registered.`);
  for (const uri of uris) {
    const why = redirectUriRefusal(uri);
    if (why) return redirect(`Refused: ${why}.`);
  }
  const grantTypes = grantTypesOf(b['grant_types']);
  if (typeof grantTypes === 'string') return metadataError(`Refused: ${grantTypes}.`);
  const other = otherRefusal(b);
  if (other) return metadataError(`Refused: ${other}.`);
  const name = b['client_name'];
  return {
    ok: true,
    registration: {
      ...(typeof name === 'string' ? { clientName: name.trim() } : {}),
      redirectUris: [...new Set(uris as string[])],
      grantTypes,
    },
  };
}
