import { type ClientMetadataFetch, fetchClientMetadata } from './client-metadata-fetch.js';
import { clientIdUrl } from './client-id-url.js';

/** What the authorization server uses of a client's metadata document. */
export interface AgentClient {
  /** The document's own URL, which it names as its `client_id`. */
  readonly clientId: string;
  /** `client_name`, or the client's host when it gives none. */
  readonly name: string;
  /** The host the document is served from: what the consent page shows beside the name. */
  readonly host: string;
  /** `redirect_uris`: the only redirects taken, matched exactly. */
  readonly redirectUris: readonly string[];
  /**
   * Registered through `POST api/oauth/register` (RFC 7591): its name is self-asserted and no document vouches for a
   * host, so the consent page marks it unverified and `host` is its first redirect URI's.
   */
  readonly registered?: true;
}

/** A client found, or why not — an `invalid_client` the authorize page explains and never redirects (RFC 6749 §4.1.2.1). */
export type ClientLookup =
  | { readonly ok: true; readonly client: AgentClient }
  | { readonly ok: false; readonly error: 'invalid_client'; readonly description: string };

/** The longest a document is kept, whatever its Cache-Control says (DESIGN.md §2: "up to 24 h"). */
export const CLIENT_METADATA_MAX_AGE_MS = 24 * 60 * 60 * 1000;
/** Documents kept at most; the oldest goes first (a flood of distinct client ids cannot grow memory). */
const MAX_ENTRIES = 500;

/**
 * Client ID Metadata Documents, fetched and kept as their Cache-Control says (at most 24 hours; `no-store`,
 * `no-cache` or no `max-age`: not kept), one fetch at a time per client id. The draft
 * (draft-ietf-oauth-client-id-metadata-document §4 "Client Metadata Document"): the document "MUST contain a
 * client_id property whose value MUST match the URL of the document", and "MUST NOT" carry a `client_secret`;
 * its `redirect_uris` are what the authorization server takes, compared exactly (RFC 9700 §4.1.3, "exact string
 * matching").
 *
 * @example
 * ```ts
 * const clients = new ClientMetadataCache({ allowLocal: false });
 * const found = await clients.lookup('https://claude.ai/oauth/mcp-client.json');
 * if (found.ok) found.client.redirectUris.includes(redirectUri);
 * ```
 */
export class ClientMetadataCache {
  private readonly kept = new Map<
    string,
    { readonly until: number; readonly found: Promise<ClientLookup> }
  >();
  private readonly now: () => number;

  constructor(private readonly options: ClientMetadataFetch & { readonly now?: () => number }) {
    this.now = options.now ?? Date.now;
  }

  /** The client whose metadata document `clientId` is, fetched or kept. */
  lookup(clientId: string): Promise<ClientLookup> {
    const held = this.kept.get(clientId);
    if (held && held.until > this.now()) return held.found;
    const checked = clientIdUrl(clientId);
    if (!checked.ok)
      return Promise.resolve({ ok: false, error: 'invalid_client', description: checked.why });
    const found = this.fetchOnce(clientId, checked.url);
    return found;
  }

  private fetchOnce(clientId: string, url: URL): Promise<ClientLookup> {
    // Kept while in flight, so concurrent authorizations of one client fetch once.
    const started = this.now();
    const found = fetchClientMetadata(url, this.options).then((answer): ClientLookup => {
      const maxAge = Math.min(answer.ok ? answer.maxAgeMs : 0, CLIENT_METADATA_MAX_AGE_MS);
      if (maxAge > 0) this.kept.set(clientId, { until: started + maxAge, found });
      else this.kept.delete(clientId);
      if (!answer.ok) return { ok: false, error: 'invalid_client', description: answer.why };
      return clientOf(clientId, url, answer.document);
    });
    this.kept.delete(clientId);
    if (this.kept.size >= MAX_ENTRIES) this.kept.delete(this.kept.keys().next().value ?? '');
    this.kept.set(clientId, { until: Number.POSITIVE_INFINITY, found });
    return found;
  }
}

/** The document checked as the draft requires, made an {@link AgentClient}. */
function clientOf(clientId: string, url: URL, doc: Record<string, unknown>): ClientLookup {
  const refuse = (description: string): ClientLookup => ({
    ok: false,
    error: 'invalid_client',
    description,
  });
  if (doc['client_id'] !== clientId)
    return refuse(`The metadata document does not name itself (${clientId}) as its client_id.`);
  if ('client_secret' in doc) return refuse('A client metadata document carries no client_secret.');
  const method = doc['token_endpoint_auth_method'];
  if (method !== undefined && method !== 'none')
    return refuse(
      `token_endpoint_auth_method ${JSON.stringify(method)} is not taken here: only 'none'.`,
    );
  const uris = doc['redirect_uris'];
  if (!Array.isArray(uris) || uris.length === 0 || !uris.every(isRedirectUri))
    return refuse('redirect_uris must be a non-empty list of absolute URLs without fragments.');
  const name = doc['client_name'];
  return {
    ok: true,
    client: {
      clientId,
      name: typeof name === 'string' && name.trim() ? name.trim().slice(0, 100) : url.host,
      host: url.host,
      redirectUris: uris,
    },
  };
}

function isRedirectUri(v: unknown): v is string {
  if (typeof v !== 'string' || v.includes('#')) return false;
  try {
    const u = new URL(v);
    // RFC 9700 §4.1: no javascript:/data: redirect targets.
    return !['javascript:', 'data:', 'vbscript:', 'file:'].includes(u.protocol);
  } catch {
    return false;
  }
}
