/**
 * Whether a `client_id` is a Client ID Metadata Document's URL, and why not when it is meant as one. The draft
 * (draft-ietf-oauth-client-id-metadata-document §3 "Client Identifier"): the URL "MUST use the https scheme, MUST
 * contain a path component, MUST NOT contain single-dot or double-dot path segments, MUST NOT contain a fragment
 * component and MUST NOT contain a username or password".
 *
 * @example
 * ```ts
 * clientIdUrl('https://claude.ai/oauth/mcp-client.json'); // { ok: true, url: URL }
 * clientIdUrl('http://claude.ai/x').ok; // false
 * ```
 */
export function clientIdUrl(
  clientId: string,
): { readonly ok: true; readonly url: URL } | { readonly ok: false; readonly why: string } {
  let url: URL;
  try {
    url = new URL(clientId);
  } catch {
    return { ok: false, why: 'The client_id is not a URL.' };
  }
  if (url.protocol !== 'https:')
    return { ok: false, why: 'A client_id metadata document is fetched over https only.' };
  if (url.username || url.password)
    return { ok: false, why: 'A client_id URL carries no user name or password.' };
  if (clientId.includes('#')) return { ok: false, why: 'A client_id URL has no fragment.' };
  if (url.pathname === '/' || url.pathname === '')
    return { ok: false, why: 'A client_id URL names a document by its path.' };
  // URL parsing resolves dot segments; the string given must not have had any.
  const rawPath =
    clientId
      .slice(clientId.indexOf('//') + 2)
      .replace(/^[^/]*/, '')
      .split(/[?#]/)[0] ?? '';
  if (rawPath.split('/').some((s) => s === '.' || s === '..' || /^%2e(%2e)?$/i.test(s)))
    return { ok: false, why: 'A client_id URL has no dot segments.' };
  return { ok: true, url };
}
