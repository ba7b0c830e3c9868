// The consent page read as a browser reads its form: the CSRF token and the organizations the picker offers.

/**
 * The form of a consent page (runtime/mcp/oauth/consent-page.ts).
 *
 * @example
 * ```ts
 * const { csrf, organizations } = consentForm(page.text);
 * ```
 */
export function consentForm(html: string): { csrf: string; organizations: string[] } {
  const csrf = /name="csrf" value="([^"]+)"/.exec(html)?.[1] ?? '';
  const organizations = [...html.matchAll(/<option value="([^"]+)"/g)].map((m) => m[1] ?? '');
  return { csrf, organizations };
}
