import type { HttpResponseInit } from '@azure/functions';
import { escapeHtml } from '../../email/invitation-message.js';

/** One organization the person may connect the agent to, and what the agent may do there. */
export interface ConsentOrganization {
  readonly id: string;
  readonly name: string;
  /** Per entity (or tool function), read or write: from the same rules `tools/list` uses for this person there. */
  readonly abilities: readonly { readonly entity: string; readonly access: 'read' | 'write' }[];
}

/** What the consent page shows and posts back. */
export interface ConsentView {
  readonly clientName: string;
  readonly clientHost: string;
  /** A client registered through `POST api/oauth/register`: its name is its own claim, shown as unverified. */
  readonly registered?: boolean;
  readonly redirectUri: string;
  readonly person: string;
  /** Only organizations where the person is a member with at least one MCP tool. */
  readonly organizations: readonly ConsentOrganization[];
  /** Where the form posts: the authorize endpoint, with the request's query. */
  readonly action: string;
  readonly csrf: string;
}

/**
 * The headers every authorize page carries: never framed (`frame-ancestors 'none'` and `X-Frame-Options: DENY`
 * against clickjacking, RFC 9700 §4.16), no script at all, forms posting only to this origin, never cached, and no
 * referrer to any other origin (the query holds the request). `same-origin`, not `no-referrer`: under `no-referrer`
 * a browser posts the page's own form with `Origin: null` (Fetch Standard, "append a request `Origin` header": for a
 * request "neither GET nor HEAD", `no-referrer` sets the serialized origin to `null`; `same-origin` does so only for
 * a request to another origin — https://fetch.spec.whatwg.org/#origin-header), and a server that tells its own pages
 * from others' by `Origin` — `atakora dev`'s sign-in (cli/dev/loopback/guard.ts) — then refuses Allow and Deny as a
 * foreign page's. The redirect that answers the form carries `no-referrer` itself (authorize-route.ts `redirectTo`).
 */
export const CONSENT_HEADERS: Readonly<Record<string, string>> = {
  'Content-Type': 'text/html; charset=utf-8',
  'Content-Security-Policy':
    "default-src 'none'; style-src 'unsafe-inline'; form-action 'self'; frame-ancestors 'none'; base-uri 'none'",
  'X-Frame-Options': 'DENY',
  'Cache-Control': 'no-store',
  'Referrer-Policy': 'same-origin',
  'X-Content-Type-Options': 'nosniff',
};

/**
 * The headers of a consent page whose form answers with a redirect to `redirectUri`: {@link CONSENT_HEADERS} with
 * that URI's origin added to `form-action`. Chromium applies `form-action` to the redirects that answer a form post
 * too, so `'self'` alone blocks Allow's and Deny's redirect to the agent ("Sending form data to … violates the
 * following Content Security Policy directive: form-action 'self'"); CSP Level 3 §6.3.1 `form-action` ("restricts the
 * URLs which can be used as the target of form submissions") leaves redirects to the browser, and Chromium follows
 * CSP Level 2's note that they are checked. The redirect URI is one of the client's own, matched exactly before any
 * page is shown (authorize-request.ts), so the form can reach nothing else. A custom scheme's URI (`cursor://…`) has
 * no origin: its scheme is the source then (`cursor:`).
 *
 * @example
 * ```ts
 * consentHeaders('http://localhost:6274/callback')['Content-Security-Policy']; // "…; form-action 'self' http://localhost:6274; …"
 * ```
 */
export function consentHeaders(redirectUri: string): Readonly<Record<string, string>> {
  const url = new URL(redirectUri);
  const source = url.origin === 'null' ? url.protocol : url.origin;
  return {
    ...CONSENT_HEADERS,
    'Content-Security-Policy': (CONSENT_HEADERS['Content-Security-Policy'] ?? '').replace(
      "form-action 'self'",
      `form-action 'self' ${source}`,
    ),
  };
}

const isLocal = (host: string) =>
  host === 'localhost' || host.endsWith('.localhost') || host === '127.0.0.1' || host === '[::1]';

/**
 * The consent page (DESIGN.md §2): the client (its name and the host its metadata document is served from — or, for
 * a registered client, its name marked unverified), the
 * redirect's host (a warning when it is this machine: any program on it can listen there), the person, an
 * organization picker and what the agent may do in each, and Allow and Deny in one CSRF-bound form. Every value is
 * escaped: the client's name is the client's to choose.
 *
 * @example
 * ```ts
 * return { status: 200, headers: CONSENT_HEADERS, body: consentPage(view) };
 * ```
 */
export function consentPage(view: ConsentView): string {
  const h = escapeHtml;
  const redirectHost = new URL(view.redirectUri).hostname;
  const shownRedirect = new URL(view.redirectUri).host;
  const local = isLocal(redirectHost);
  const options = view.organizations
    .map((o, i) => `<option value="${h(o.id)}"${i === 0 ? ' selected' : ''}>${h(o.name)}</option>`)
    .join('');
  const abilities = view.organizations
    .map(
      (o) =>
        `<section data-organization="${h(o.id)}"><h3>In ${h(o.name)}</h3><ul>${o.abilities
          .map(
            (a) => `<li>${a.access === 'write' ? 'Read and change' : 'Read'} ${h(a.entity)}</li>`,
          )
          .join('')}</ul></section>`,
    )
    .join('');
  return `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
<title>Connect ${h(view.clientName)}</title></head>
<body><main>
<h1>Connect <span id="client-name">${h(view.clientName)}</span></h1>
${clientLine(view)}
<p>After you allow it, you are sent back to <strong id="redirect-host">${h(shownRedirect)}</strong>.</p>
${local ? '<p id="localhost-warning" role="alert">This agent receives its access on this computer (localhost): allow it only if you started it yourself.</p>' : ''}
<form method="post" action="${h(view.action)}">
<input type="hidden" name="csrf" value="${h(view.csrf)}">
<label for="organization">Organization</label>
<select id="organization" name="organization" required>${options}</select>
${abilities}
<button type="submit" name="decision" value="allow">Allow</button>
<button type="submit" name="decision" value="deny">Deny</button>
</form>
</main></body></html>`;
}

/**
 * Who the client is: the host its metadata document is served from; or, registered through RFC 7591, a warning that
 * its name is unverified — RFC 7591 §5: "the authorization server MUST treat all client metadata as self-asserted.
 * For instance, a rogue client might use the name and logo of a legitimate client that it is trying to impersonate"
 * … "An authorization server can also present warning messages to end users about dynamically registered clients".
 */
function clientLine(view: ConsentView): string {
  const h = escapeHtml;
  const person = `signed in as <strong id="person">${h(view.person)}</strong>`;
  if (!view.registered)
    return `<p>from <strong id="client-host">${h(view.clientHost)}</strong>, ${person}</p>`;
  return `<p id="client-unverified" role="note"><strong>Unverified:</strong> this agent registered itself with this server and chose its name; nothing confirms it is ${h(view.clientName)}. Allow it only if you started connecting it yourself. You are ${person}.</p>`;
}

/**
 * A refusal the page explains instead of redirecting (an unknown client, a redirect not the client's, no
 * organization to connect, too many requests — 429 with its `Retry-After` in `headers`): the OAuth error and its
 * description, with the page's headers.
 *
 * @example
 * ```ts
 * return refusalPage(400, 'invalid_client', 'The client metadata document answered 404.');
 * ```
 */
export function refusalPage(
  status: 400 | 403 | 429,
  error: string,
  description: string,
  headers?: Readonly<Record<string, string>>,
): HttpResponseInit {
  const h = escapeHtml;
  return {
    status,
    headers: headers ? { ...CONSENT_HEADERS, ...headers } : CONSENT_HEADERS,
    body: `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>This agent cannot be connected</title></head>
<body><main><h1>This agent cannot be connected</h1>
<p id="error">${h(error)}</p><p id="error-description">${h(description)}</p></main></body></html>`,
  };
}
