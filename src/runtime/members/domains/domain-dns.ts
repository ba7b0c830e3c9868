import { Resolver } from 'node:dns/promises';

export { DNS_SERVER_SETTING } from '../../../contract/domains/domains.js';

/**
 * The TXT records at a name, each record's strings joined (RFC 7208 §3.3's reading of a split record), `[]` when the
 * name has none (NXDOMAIN or no TXT), `'unreachable'` when the lookup failed (timed out, refused, SERVFAIL): a
 * failure is never taken for a missing record — the daily re-check must not unverify a domain when DNS is down.
 */
export type TxtResolver = (name: string) => Promise<readonly string[] | 'unreachable'>;

/** The c-ares codes that say the name has no such record, rather than that DNS could not answer. */
const NO_RECORD = new Set(['ENOTFOUND', 'ENODATA', 'ENONAME']);

/**
 * The runtime's TXT lookup through node:dns (Node's documented `Resolver`, https://nodejs.org/api/dns.html#class-
 * dnspromisesresolver), at `server` when given (`setServers` takes `ip:port`), else at the system's resolver; each
 * lookup bounded (3 s, 2 tries) so a verify request never hangs on a silent server.
 *
 * @example
 * ```ts
 * const resolveTxt = txtResolverOf(env[DNS_SERVER_SETTING]);
 * await resolveTxt('_atakora.contoso.com'); // ['atakora-verify=k3x9…']
 * ```
 */
export function txtResolverOf(server?: string): TxtResolver {
  const resolver = new Resolver({ timeout: 3000, tries: 2 });
  const at = server?.trim();
  if (at) resolver.setServers([at]);
  return async (name) => {
    try {
      const records = await resolver.resolveTxt(name);
      return records.map((chunks) => chunks.join(''));
    } catch (e) {
      const code = (e as { code?: unknown }).code;
      return typeof code === 'string' && NO_RECORD.has(code) ? [] : 'unreachable';
    }
  };
}
