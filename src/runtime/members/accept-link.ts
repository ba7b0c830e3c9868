import type { HttpRequest } from '@azure/functions';

/**
 * The app's sites as the membership routes know them: their browser origins (`RuntimeAuth.siteOrigins`: the
 * CORS list of the planner, dev's under `atakora dev`) and the page an invitation's link opens
 * (`RuntimeAuth.acceptUrl`: `tenants.acceptUrl` or the StaticSite's URL).
 */
export interface AppSites {
  readonly origins?: readonly string[];
  readonly acceptUrl?: string;
}

/** The query parameter of an invitation link: the landing page reads its token from it. */
export const INVITATION_PARAM = 'invitation';

/** The https or http origin of a header's URL, lower case; undefined when it is none. */
function originOf(value: string | null): string | undefined {
  if (!value) return undefined;
  try {
    const u = new URL(value);
    return u.protocol === 'https:' || u.protocol === 'http:' ? u.origin.toLowerCase() : undefined;
  } catch {
    return undefined;
  }
}

/** `page` with the token added as `?invitation=`, its fragment dropped. */
function withToken(page: string, token: string): string {
  const url = new URL(page);
  url.hash = '';
  url.searchParams.set(INVITATION_PARAM, token);
  return url.toString();
}

/**
 * Where an invitee accepts (DESIGN §2, "Invitations that arrive"): the calling page's origin only when it is one of
 * the app's sites (a script's `Origin` is whatever it says: it must not put another host into a link the app hands
 * out, or sends by e-mail); else the configured page (`tenants.acceptUrl`, the StaticSite); else — a backend with
 * no site, where no page can accept — the API's own origin. The token rides as `?invitation=<token>`.
 *
 * @example
 * ```ts
 * acceptLink(request, token, { acceptUrl: 'https://app.contoso.com/join' });
 * // 'https://app.contoso.com/join?invitation=acme-k3x9qa.k3x9qa7b2c1d.…'
 * ```
 */
export function acceptLink(request: HttpRequest, token: string, sites: AppSites = {}): string {
  const known = new Set((sites.origins ?? []).map((o) => o.toLowerCase()));
  const asked = originOf(request.headers.get('origin')) ?? originOf(request.headers.get('referer'));
  if (asked !== undefined && known.has(asked)) return withToken(`${asked}/`, token);
  const configured = sites.acceptUrl;
  if (configured) {
    try {
      return withToken(configured.includes('/', 8) ? configured : `${configured}/`, token);
    } catch {
      // A setting that is no URL (an unresolved reference): the last resort below.
    }
  }
  return withToken(`${new URL(request.url).origin}/`, token);
}
