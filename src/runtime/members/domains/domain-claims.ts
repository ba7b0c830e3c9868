import { DOMAIN_GRACE_MS } from '../../../contract/domains/domains.js';
import type { DomainStore, StoredDomain } from './domain-store.js';
import type { TxtResolver } from './domain-dns.js';

/**
 * Claim `domain` for `tenant` — the one step that makes a verified domain one organization's: `'claimed'` when the
 * claim is created (or held already), or handed over from an organization that no longer has it verified (removed,
 * `unverified`, erased: a takeover after expiry needs the new holder's own TXT proof, which the caller checked);
 * `'taken'` when another organization holds it verified, or won a race for it.
 *
 * @example
 * ```ts
 * if ((await claimDomain(store, 'contoso.com', 'acme')) === 'taken') return problem('domain-taken');
 * ```
 */
export async function claimDomain(
  store: DomainStore,
  domain: string,
  tenant: string,
): Promise<'claimed' | 'taken'> {
  const held = await store.claim(domain, tenant);
  if (held === 'claimed' || held.value === tenant) return 'claimed';
  const theirs = await store.read(held.value, domain);
  if (theirs?.value.status === 'verified') return 'taken';
  return (await store.takeOver(domain, tenant, held.etag)) === 'claimed' ? 'claimed' : 'taken';
}

/** What one re-check run did: domains seen, missing (within the grace), made `unverified`, not checked (DNS down). */
export interface RecheckReport {
  seen: number;
  missing: number;
  unverified: number;
  unreachable: number;
}

/**
 * The daily re-check: every verified domain's TXT record resolved again. Seen → `checkedOn` now, `missingSince`
 * cleared; not found → `missingSince` kept from the first miss, and once it is {@link DOMAIN_GRACE_MS} (3 days) old
 * the domain is `unverified` and its claim released — its joins stop, and a new holder may prove it. A failed lookup
 * changes nothing (DNS down is not a missing record). A record changed meanwhile (an Owner's PATCH) is left for the
 * next run. Each domain made `unverified` is reported to `unverified` once written (the audit line of its
 * organization: domain-recheck-timer.ts).
 *
 * @example
 * ```ts
 * const report = await recheckDomains(store, txtResolverOf(env.ATAKORA_DNS_SERVER), new Date());
 * ```
 */
export async function recheckDomains(
  store: DomainStore,
  resolveTxt: TxtResolver,
  now: Date,
  unverified: (d: StoredDomain) => Promise<unknown> = () => Promise.resolve(),
): Promise<RecheckReport> {
  const report: RecheckReport = { seen: 0, missing: 0, unverified: 0, unreachable: 0 };
  let token: string | undefined;
  do {
    const page = await store.verified(100, token);
    for (const { value: d, etag } of page.items)
      await recheckOne(store, resolveTxt, now, { d, etag, report, unverified });
    token = page.next;
  } while (token !== undefined);
  return report;
}

async function recheckOne(
  store: DomainStore,
  resolveTxt: TxtResolver,
  now: Date,
  one: {
    readonly d: StoredDomain;
    readonly etag: string;
    readonly report: RecheckReport;
    readonly unverified: (d: StoredDomain) => Promise<unknown>;
  },
): Promise<void> {
  const { d, etag, report } = one;
  const records = await resolveTxt(d.txt.name);
  if (records === 'unreachable') {
    report.unreachable++;
    return;
  }
  const at = now.toISOString();
  if (records.includes(d.txt.value)) {
    report.seen++;
    const { missingSince: _cleared, ...rest } = d;
    await store.replace({ ...rest, checkedOn: at }, etag);
    return;
  }
  const since = d.missingSince ?? at;
  if (now.getTime() - Date.parse(since) < DOMAIN_GRACE_MS) {
    report.missing++;
    await store.replace({ ...d, missingSince: since }, etag);
    return;
  }
  report.unverified++;
  const lapsed: StoredDomain = { ...d, status: 'unverified', missingSince: since };
  const written = await store.replace(lapsed, etag);
  if (written === 'changed' || written === 'missing') return;
  await store.release(d.domain, d.tenant);
  await one.unverified(lapsed);
}
