// The verified domains' routes and function names, apart from their rules (contract/domains/domains.ts) so the typed
// client's bundle takes the routes without the public mail domains' list.

/**
 * The routes of verified domains (under `api/`), registered where `tenants.by` is `'membership'`.
 *
 * @example
 * ```ts
 * `${host}/api/${DOMAIN_ROUTES.domains}`; // POST: add a domain
 * ```
 */
export const DOMAIN_ROUTES = Object.freeze({
  domains: 'tenant/domains',
  domain: 'tenant/domains/{domain}',
  verify: 'tenant/domains/{domain}/verify',
});

/** The function names of the verified domains' routes. */
export const DOMAIN_FUNCTIONS = Object.freeze({
  domains: 'membership-domains',
  domain: 'membership-domain',
  verify: 'membership-domain-verify',
});
