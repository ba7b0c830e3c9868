// An organization's verified domains (DESIGN §2, "Organizations that enterprises can buy"): the routes, the domain's
// syntax and the rules the runtime, the OpenAPI document and the typed client share. Like contract/members.ts this
// module imports only its own shapes and lists, so the client's bundle shares it.
import type { DomainJoin } from './domain-shapes.js';
import { PUBLIC_MAIL_DOMAINS, PUBLIC_MAIL_PARENTS } from './public-mail-domains.js';

export type * from './domain-shapes.js';
export { DOMAIN_FUNCTIONS, DOMAIN_ROUTES } from './domain-routes.js';

/**
 * The label a domain's proof is published under: the TXT record `_atakora.<domain>` (an underscore label, as RFC
 * 8552 reserves for attribute leaves, so it never collides with a host name).
 *
 * @example
 * ```ts
 * `${DOMAIN_TXT_LABEL}.contoso.com`; // '_atakora.contoso.com'
 * ```
 */
export const DOMAIN_TXT_LABEL = '_atakora';

/**
 * The prefix of the proof's value: `atakora-verify=<random>`.
 *
 * @example
 * ```ts
 * `${DOMAIN_TXT_PREFIX}k3x9qa7b2c`; // 'atakora-verify=k3x9qa7b2c'
 * ```
 */
export const DOMAIN_TXT_PREFIX = 'atakora-verify=';

/**
 * How long the daily re-check tolerates a verified domain's record missing before the domain is `unverified`: 3
 * days, so a DNS host's outage or a zone migration does not cut an organization's joins.
 *
 * @example
 * ```ts
 * now - missingSince >= DOMAIN_GRACE_MS; // → unverified
 * ```
 */
export const DOMAIN_GRACE_MS = 3 * 24 * 60 * 60 * 1000;

/** The join modes a domain may have. */
export const DOMAIN_JOINS: readonly DomainJoin[] = ['off', 'request', 'auto'];

/**
 * How many domains one organization may add (pending or verified): each is a DNS lookup a day and a global record.
 *
 * @example
 * ```ts
 * if (count >= MAX_DOMAINS_PER_ORGANIZATION) refuse();
 * ```
 */
export const MAX_DOMAINS_PER_ORGANIZATION = 20;

/**
 * The app setting that names the DNS server a domain's proof is resolved at (`<ip>` or `<ip>:<port>`): under `atakora
 * dev` (which passes it on to its workers) and in tests a loopback stand-in; unset in Azure, where the platform's
 * resolver answers.
 *
 * @example
 * ```ts
 * process.env[DNS_SERVER_SETTING] = '127.0.0.1:5353';
 * ```
 */
export const DNS_SERVER_SETTING = 'ATAKORA_DNS_SERVER';

/** The timer that re-checks every verified domain's record once a day. */
export const DOMAIN_RECHECK_FUNCTION = 'membership-domain-recheck';
/** Its NCRONTAB schedule (Azure Functions' six fields): 03:17 UTC daily, off the hour other jobs crowd. */
export const DOMAIN_RECHECK_SCHEDULE = '0 17 3 * * *';

const LABEL = /^(?!-)[a-z0-9-]{1,63}(?<!-)$/;

/**
 * A domain as organizations claim it — trimmed, lower case, one trailing dot dropped, an internationalized name in
 * its ASCII (punycode, IDNA) form — or the reason it is not one: at least two labels of letters, digits and inner
 * `-` (63 at most each, 253 in all), a top-level label that is not all digits (no IP address), nothing else (no
 * scheme, port, path, `@` or wildcard).
 *
 * @example
 * ```ts
 * domainOf(' Contoso.COM. '); // { ok: true, domain: 'contoso.com' }
 * domainOf('bücher.example'); // { ok: true, domain: 'xn--bcher-kva.example' }
 * domainOf('localhost').ok; // false
 * ```
 */
export function domainOf(
  value: unknown,
):
  | { readonly ok: true; readonly domain: string }
  | { readonly ok: false; readonly reason: string } {
  if (typeof value !== 'string') return { ok: false, reason: 'domain must be a string.' };
  let d = value.trim().toLowerCase();
  if (d.endsWith('.')) d = d.slice(0, -1);
  if (d.length === 0 || d.length > 253 || /[\s/\\@:?#*[\]%]/.test(d))
    return {
      ok: false,
      reason: 'domain must be a domain name such as contoso.com (no scheme, path or port).',
    };
  let ascii: string;
  try {
    // WHATWG URL's host parser applies IDNA (UTS #46) to the name, as browsers and Node do.
    ascii = new URL(`http://${d}`).hostname;
  } catch {
    return { ok: false, reason: `${JSON.stringify(value)} is not a valid domain name.` };
  }
  const labels = ascii.split('.');
  const tld = labels[labels.length - 1] ?? '';
  if (
    ascii.length > 253 ||
    labels.length < 2 ||
    !labels.every((l) => LABEL.test(l)) ||
    /^\d+$/.test(tld)
  )
    return {
      ok: false,
      reason: `${JSON.stringify(value)} is not a domain name: two labels or more of letters, digits and "-".`,
    };
  return { ok: true, domain: ascii };
}

/**
 * Whether `domain` (as {@link domainOf} gives it) is a public mail provider's, or under a parent whose subdomains
 * anyone registers: such a domain proves nothing about an organization, and is refused.
 *
 * @example
 * ```ts
 * isPublicMailDomain('gmail.com'); // true
 * isPublicMailDomain('contoso.onmicrosoft.com'); // true
 * isPublicMailDomain('contoso.com'); // false
 * ```
 */
export function isPublicMailDomain(domain: string): boolean {
  const labels = domain.split('.');
  for (let i = 0; i < labels.length - 1; i++)
    if (PUBLIC_MAIL_DOMAINS.has(labels.slice(i).join('.'))) return true;
  return PUBLIC_MAIL_PARENTS.some((p) => domain === p || domain.endsWith(`.${p}`));
}

/**
 * The domain of a verified email (its part after `@`), in the form {@link domainOf} gives, or undefined.
 *
 * @example
 * ```ts
 * emailDomainOf('ada@Contoso.com'); // 'contoso.com'
 * ```
 */
export function emailDomainOf(email: string): string | undefined {
  const at = email.lastIndexOf('@');
  if (at < 0) return undefined;
  const d = domainOf(email.slice(at + 1));
  return d.ok ? d.domain : undefined;
}

/**
 * The TXT record's name that proves `domain`.
 *
 * @example
 * ```ts
 * domainTxtName('contoso.com'); // '_atakora.contoso.com'
 * ```
 */
export function domainTxtName(domain: string): string {
  return `${DOMAIN_TXT_LABEL}.${domain}`;
}
