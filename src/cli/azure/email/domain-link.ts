import { AtakoraError } from '../../../model/errors.js';
import type { ResourcePlan } from '../../../model/plan.js';
import type { MergedEmailConfig } from '../../../resources/email/type.js';
import type { ArmSession } from '../cosmos-accounts.js';
import {
  initiateVerification,
  linkDomain,
  readDomain,
  REQUIRED_VERIFICATIONS,
  type DnsRecord,
  type DomainState,
  type EmailDomainTarget,
} from './domain-arm.js';

/** How long the step waits, and between two looks. */
export interface DomainLinkOptions {
  /** Between two looks at the domain (default 10 s). */
  readonly pollMs?: number;
  /** Give up waiting for Azure's verdict after (default 10 min); the deploy goes on, the domain unlinked. */
  readonly waitMs?: number;
  readonly now?: () => number;
}

/** What the step found and did. */
export interface DomainLinkOutcome {
  /** `linked` now, `already-linked` before, `unverified` (Azure said no, or not yet: the records are not in DNS). */
  readonly status: 'linked' | 'already-linked' | 'unverified';
  readonly states: Readonly<Record<string, string>>;
  /** The DNS records Azure asks for (what to add when `unverified`). */
  readonly records: readonly DnsRecord[];
}

/**
 * The custom e-mail domain a deployed plan leaves to `atakora deploy` (`tenants.email.domain` other than
 * `'azure-managed'`: the plan's `linkedBy: 'atakora deploy'`), in the stack's resource group; undefined otherwise.
 *
 * @example
 * ```ts
 * emailDomainOf(stack.plan, stack.resourceGroup); // { domain: 'mail.contoso.com', emailService: 'ecs-…', … }
 * ```
 */
export function emailDomainOf(
  plan: ResourcePlan,
  resourceGroup: string,
): EmailDomainTarget | undefined {
  const email = plan.resources.find((r) => r.type === 'email');
  const c = email?.config as Partial<MergedEmailConfig> | undefined;
  if (!c || c.linkedBy !== 'atakora deploy' || !c.domain || !c.emailServiceName) return undefined;
  return {
    resourceGroup,
    emailService: c.emailServiceName,
    domain: c.domain,
    communicationService: c.communicationServiceName ?? '',
  };
}

/**
 * A custom domain's second step, through Resource Manager: read its verification states (Domains - Get); start each
 * required verification that is neither done nor running (Domains - Initiate Verification: ownership first, then
 * SPF, DKIM and DKIM2 once it holds); wait for Azure's verdict, bounded; link the domain to the Communication Service
 * only once every required verification says `Verified` (Learn, "Quickstart: How to connect a verified email domain":
 * the domain "must be fully verified before attempting to link it"). A domain Azure has not verified is no failure
 * of the deploy — the apply succeeded — but `unverified`, with the records to add.
 *
 * @example
 * ```ts
 * const outcome = await linkVerifiedDomain(session, target, { waitMs: 600_000 }); // { status: 'linked', … }
 * ```
 */
export async function linkVerifiedDomain(
  s: ArmSession,
  t: EmailDomainTarget,
  o: DomainLinkOptions = {},
): Promise<DomainLinkOutcome> {
  const now = o.now ?? Date.now;
  const pollMs = o.pollMs ?? 10_000;
  const deadline = now() + (o.waitMs ?? 600_000);
  const started = new Set<string>();
  for (;;) {
    const d = await mustRead(s, t);
    if (allVerified(d)) {
      const status = await linkDomain(s, t, d.id);
      return { status, states: statesOf(d), records: d.records };
    }
    // Ownership first: the sender records are verified for a domain Azure knows is yours.
    const next = d.states['Domain'] === 'Verified' ? REQUIRED_VERIFICATIONS.slice(1) : ['Domain'];
    const toStart = next.filter((v) => startable(d.states[v]) && !started.has(v));
    const failed = next.some((v) => d.states[v] === 'VerificationFailed' && started.has(v));
    if (failed) return { status: 'unverified', states: statesOf(d), records: d.records };
    // Starting is never cut short by the deadline: only the waiting for a verdict is.
    for (const v of toStart) {
      await initiateVerification(s, t, v, pollMs, deadline);
      started.add(v);
    }
    if (toStart.length > 0) continue;
    if (now() >= deadline) return { status: 'unverified', states: statesOf(d), records: d.records };
    await new Promise((r) => setTimeout(r, pollMs));
  }
}

/** Not started, failed before, or cancelled: worth starting (again). Requested or in progress: wait. */
const startable = (status: string | undefined) =>
  status === undefined ||
  status === 'NotStarted' ||
  status === 'VerificationFailed' ||
  status === 'CancellationRequested';

const allVerified = (d: DomainState) =>
  REQUIRED_VERIFICATIONS.every((v) => d.states[v] === 'Verified');

const statesOf = (d: DomainState): Record<string, string> =>
  Object.fromEntries(REQUIRED_VERIFICATIONS.map((v) => [v, d.states[v] ?? 'NotStarted']));

async function mustRead(s: ArmSession, t: EmailDomainTarget): Promise<DomainState> {
  const d = await readDomain(s, t);
  if (d) return d;
  throw new AtakoraError(
    'EMAIL_DOMAIN_LINK_FAILED',
    `E-mail domain ${t.domain} was not found in ${t.emailService} (resource group ${t.resourceGroup}) after apply.`,
    {
      path: ['deploy', 'email', t.domain],
      resolution:
        'Run atakora deploy again: Terraform creates the domain before this step runs (azurerm_email_communication_service_domain).',
    },
  );
}
