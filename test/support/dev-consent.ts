// A person at the consent page over real HTTP (a worker `atakora dev` runs): the page read behind the sign-in the
// headers carry, Allow posted for an organization the picker offers, the code read from the redirect.
import { consentForm } from '../runtime/support/consent-form.js';

/** What the page offered and what Allow answered: the redirect's code and `iss`. */
export interface Consented {
  readonly page: { readonly status: number; readonly html: string };
  readonly organizations: readonly string[];
  readonly code: string;
  readonly iss: string | null;
}

/**
 * Consent to `authorization` (the authorize URL a client was sent to) as the person `headers` sign in, in
 * `organization` (default the picker's first).
 *
 * @example
 * ```ts
 * const { code } = await consentOverHttp(agent.authorizationUrl!, { 'x-atakora-dev-user': 'alice@example.com' });
 * ```
 */
export async function consentOverHttp(
  authorization: URL,
  headers: Record<string, string>,
  organization?: string,
): Promise<Consented> {
  const shown = await fetch(authorization, { headers });
  const html = await shown.text();
  const form = consentForm(html);
  const picked = organization ?? form.organizations[0] ?? '';
  if (shown.status !== 200 || !picked)
    return {
      page: { status: shown.status, html },
      organizations: form.organizations,
      code: '',
      iss: null,
    };
  const allowed = await fetch(authorization, {
    method: 'POST',
    redirect: 'manual',
    headers: { ...headers, 'content-type': 'application/x-www-form-urlencoded' },
    body: new URLSearchParams({ csrf: form.csrf, organization: picked, decision: 'allow' }),
  });
  await allowed.arrayBuffer();
  const back = new URL(allowed.headers.get('location') ?? 'http://invalid/');
  return {
    page: { status: shown.status, html },
    organizations: form.organizations,
    code: back.searchParams.get('code') ?? '',
    iss: back.searchParams.get('iss'),
  };
}
