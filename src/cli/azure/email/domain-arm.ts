import { armCall, armRead, type ArmSession } from '../cosmos-accounts.js';
import { azureOk } from '../http.js';

/**
 * The Resource Manager API version of the e-mail calls: the one azurerm v4.55.0 manages Communication resources with
 * (its vendored go-azure-sdk `resource-manager/communication/2023-03-31`: communicationservices, domains), stable in
 * azure-rest-api-specs specification/communication/resource-manager/Microsoft.Communication/stable/2023-03-31
 * (Domains.json, CommunicationServices.json).
 */
export const COMMUNICATION_API_VERSION = '2023-03-31';

/**
 * The verifications a custom domain needs before it may be linked: ownership (`Domain`, a TXT record) and sender
 * authentication (`SPF`, `DKIM`, `DKIM2`) — Learn, "Quickstart: How to add custom verified email domains" ("Verify the
 * custom domain ownership by adding a TXT record … Configure the sender authentication by adding SPF and DKIM
 * records"), DKIM2 beside DKIM in the records Azure lists. DMARC is advised, not required.
 */
export const REQUIRED_VERIFICATIONS = ['Domain', 'SPF', 'DKIM', 'DKIM2'] as const;

/** One verification's state (Domains - Get, `properties.verificationStates.<type>.status`). */
export type VerificationStatus =
  | 'NotStarted'
  | 'VerificationRequested'
  | 'VerificationInProgress'
  | 'VerificationFailed'
  | 'Verified'
  | 'CancellationRequested';

/** One DNS record Azure asks for (`properties.verificationRecords.<type>`). */
export interface DnsRecord {
  readonly kind: string;
  readonly type: string;
  readonly name: string;
  readonly value: string;
  readonly ttl?: number;
}

/** What the step reads of a domain. */
export interface DomainState {
  readonly id: string;
  readonly states: Readonly<Record<string, VerificationStatus | undefined>>;
  readonly records: readonly DnsRecord[];
}

/** Where the e-mail resources live. */
export interface EmailDomainTarget {
  readonly resourceGroup: string;
  readonly emailService: string;
  /** The custom domain (its Domains resource is named after it). */
  readonly domain: string;
  readonly communicationService: string;
}

const text = (v: unknown): string => (typeof v === 'string' ? v : '');

const base = (s: ArmSession, rg: string) =>
  `${s.endpoint}/subscriptions/${s.subscriptionId}/resourceGroups/${rg}/providers/Microsoft.Communication`;
const versioned = (url: string) => `${url}?api-version=${COMMUNICATION_API_VERSION}`;

/** The domain's Resource Manager URL (no api-version). */
export const domainUrl = (s: ArmSession, t: EmailDomainTarget) =>
  `${base(s, t.resourceGroup)}/emailServices/${t.emailService}/domains/${t.domain}`;

/** The Communication Service's Resource Manager URL (no api-version). */
export const serviceUrl = (s: ArmSession, t: EmailDomainTarget) =>
  `${base(s, t.resourceGroup)}/communicationServices/${t.communicationService}`;

/**
 * Domains - Get: the id, each verification's status and the DNS records Azure asks for; undefined when there is no
 * such domain (Terraform has not made it).
 *
 * @example
 * ```ts
 * const d = await readDomain(session, target); // d?.states.Domain: 'Verified'
 * ```
 */
export async function readDomain(
  s: ArmSession,
  t: EmailDomainTarget,
): Promise<DomainState | undefined> {
  const found = await armRead(s, `reading e-mail domain ${t.domain}`, versioned(domainUrl(s, t)));
  if (!found) return undefined;
  const json = (found.json ?? {}) as {
    id?: unknown;
    properties?: { verificationStates?: unknown; verificationRecords?: unknown };
  };
  const states = (json.properties?.verificationStates ?? {}) as Record<
    string,
    { status?: unknown }
  >;
  const records = (json.properties?.verificationRecords ?? {}) as Record<
    string,
    Record<string, unknown>
  >;
  return {
    id: typeof json.id === 'string' ? json.id : domainUrl(s, t).slice(s.endpoint.length),
    states: Object.fromEntries(
      Object.entries(states).map(([k, v]) => [k, v?.status as VerificationStatus | undefined]),
    ),
    records: Object.entries(records).map(([kind, r]) => ({
      kind,
      type: text(r['type']),
      name: text(r['name']),
      value: text(r['value']),
      ...(typeof r['ttl'] === 'number' ? { ttl: r['ttl'] } : {}),
    })),
  };
}

/**
 * Domains - Initiate Verification (`POST …/domains/{domain}/initiateVerification`, body `{ verificationType }`):
 * 202 with `Location`, polled until the operation ends (Domains.json: final-state-via location).
 *
 * @example
 * ```ts
 * await initiateVerification(session, target, 'Domain', 1000);
 * ```
 */
export async function initiateVerification(
  s: ArmSession,
  t: EmailDomainTarget,
  type: string,
  pollMs: number,
  deadline: number,
): Promise<void> {
  const what = `starting the ${type} verification of ${t.domain}`;
  const answer = await azureOk(
    armCall(s, what, versioned(`${domainUrl(s, t)}/initiateVerification`), {
      method: 'POST',
      json: { verificationType: type },
    }),
  );
  const location = answer.headers.get('location');
  if (!location) return;
  while (Date.now() < deadline) {
    const poll = await azureOk(armCall(s, `${what} (status)`, location));
    if (poll.status !== 202) return;
    await new Promise((r) => setTimeout(r, pollMs));
  }
}

/**
 * Link the domain to the Communication Service unless it is linked (CommunicationServices - Get, then
 * CommunicationServices - Update, `PATCH` with `properties.linkedDomains`: the list replaces the service's, so the
 * domains already linked are sent back — Learn, "Quickstart: How to connect a verified email domain", REST).
 * `'linked'` when this call linked it, `'already-linked'` when it was.
 *
 * @example
 * ```ts
 * await linkDomain(session, target, domain.id); // 'linked'
 * ```
 */
export async function linkDomain(
  s: ArmSession,
  t: EmailDomainTarget,
  domainId: string,
): Promise<'linked' | 'already-linked'> {
  const url = versioned(serviceUrl(s, t));
  const found = await armRead(s, `reading Communication Service ${t.communicationService}`, url);
  const linked = (
    ((found?.json as { properties?: { linkedDomains?: unknown } } | undefined)?.properties
      ?.linkedDomains ?? []) as unknown[]
  ).filter((d): d is string => typeof d === 'string');
  // Resource ids compare without case (Resource Manager answers `EmailServices/…/Domains/…` as well).
  if (linked.some((d) => d.toLowerCase() === domainId.toLowerCase())) return 'already-linked';
  await azureOk(
    armCall(s, `linking ${t.domain} to ${t.communicationService}`, url, {
      method: 'PATCH',
      json: { properties: { linkedDomains: [...linked, domainId] } },
    }),
  );
  return 'linked';
}
