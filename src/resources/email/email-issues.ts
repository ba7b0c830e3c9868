import type { PlanIssue } from '../../model/plan.js';
import type { EmailDataLocation } from './data-location.js';
import { EMAIL_LIMITS_DOC, type EmailSendingLimits } from './sending-limits.js';

/** What the e-mail's plan issues read. */
export interface EmailIssueInput {
  readonly domain: string;
  readonly invitationsPerDay: number;
  readonly limits: EmailSendingLimits;
  readonly region: string;
  readonly dataLocation: EmailDataLocation;
  /** The Terraform output holding a custom domain's DNS records. */
  readonly dnsOutput: string;
}

const PATH = ['config', 'tenants', 'email'];

/**
 * What the plan says of `tenants.email` beyond its resources, as warnings:
 * - `EMAIL_SENDING_LIMITS`: the subscription's sending bounds (./sending-limits.ts) beside `invitationsPerDay`, and
 *   what a send past them becomes (queued, sent after `Retry-After`);
 * - `EMAIL_DOMAIN_VERIFICATION`: a custom domain sends only once Azure verified its DNS records — the two steps
 *   (deploy, add the records, deploy again) and what `atakora deploy` does between them;
 * - `EMAIL_DATA_LOCATION_NEAREST`: the region's geography has no ACS data location of its own.
 *
 * @example
 * ```ts
 * issues.push(...emailIssues({ domain: 'azure-managed', invitationsPerDay: 50, limits, region, dataLocation, dnsOutput }));
 * ```
 */
export function emailIssues(e: EmailIssueInput): PlanIssue[] {
  const managed = e.domain === 'azure-managed';
  const kind = managed ? 'an Azure-managed domain' : 'a custom domain';
  const issues: PlanIssue[] = [
    {
      severity: 'warning',
      code: 'EMAIL_SENDING_LIMITS',
      path: [...PATH, 'invitationsPerDay'],
      message:
        `Azure sends at most ${String(e.limits.perMinute)} e-mails a minute and ${String(e.limits.perHour)} an hour ` +
        `per subscription from ${kind} (status reads ${String(e.limits.statusPerMinute)} a minute, ` +
        `${String(e.limits.statusPerHour)} an hour), all organizations and backends of the subscription together; ` +
        `invitationsPerDay (${String(e.invitationsPerDay)}) bounds each organization only. A send past Azure's limit ` +
        `is queued (delivery 'queued') and sent after the Retry-After ACS answers with (${EMAIL_LIMITS_DOC}).`,
      resolution:
        'Ask Azure Support to raise the sending limits once the domain has sent mail for a while ' +
        `(${managed ? 'a custom domain starts higher' : 'Learn: quota increases are reviewed, up to 72 hours'}).`,
    },
  ];
  if (!managed)
    issues.push({
      severity: 'warning',
      code: 'EMAIL_DOMAIN_VERIFICATION',
      path: [...PATH, 'domain'],
      message:
        `${e.domain} sends only once Azure has verified it: the first atakora deploy creates the domain and prints ` +
        `its DNS records (Terraform output ${e.dnsOutput}); once they are in ${e.domain}'s DNS zone, atakora deploy ` +
        'starts the verification, waits for it, and links the domain to the Communication Service. Until then ' +
        "invitation e-mails are recorded 'failed'.",
      resolution:
        `Add the records of output ${e.dnsOutput} (domain TXT, SPF, DKIM, DKIM2; DMARC is advised) and run ` +
        'atakora deploy again (docs/tenants.md, "A custom domain in two steps").',
    });
  if (e.dataLocation.nearest)
    issues.push({
      severity: 'warning',
      code: 'EMAIL_DATA_LOCATION_NEAREST',
      path: ['config', 'location'],
      message:
        `Azure Communication Services offers no data location in the geography of ${e.region}: e-mail data rests ` +
        `in ${e.dataLocation.location} (Learn, "Region availability and data residency").`,
      resolution:
        'Accept it, or deploy the backend to a region whose geography ACS lists (docs/tenants.md, "Where e-mail ' +
        'data rests").',
    });
  return issues;
}
