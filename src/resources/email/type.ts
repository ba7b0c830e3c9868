import type { NormalizedConfig } from '../../model/config.js';
import type { PlanIssue, PlannedDeploy, PlannedResource } from '../../model/plan.js';
import type { BackendResourceType } from '../../kit/pure/resources/backend-resource-type.js';
import { compare } from '../../kit/pure/resources/merge-strategies.js';
import { resourceName } from '../../kit/pure/names/naming.js';
import { tfName } from '../../kit/pure/names/terraform-names.js';
import { asJsonObject } from '../../kit/pure/resources/resource-type.js';
import { roundUsd } from '../../kit/pure/resources/prices.js';
import { DEFAULT_EMAIL_FROM, EMAIL_KEY } from '../../model/email.js';
import { ASSUMED_EMAIL_KB, ASSUMED_EMAILS_PER_MONTH, EMAIL_PRICES, emailFacts } from './facts.js';
import { dataLocationFor } from './data-location.js';
import { emailIssues } from './email-issues.js';
import { sendingLimitsOf, type EmailSendingLimits } from './sending-limits.js';

export { EMAIL_KEY };

/**
 * The built-in role Learn names for sending e-mail with Microsoft Entra ID: "Communication and Email Service Owner"
 * (Learn, "Quickstart: Send email using Microsoft Entra ID" / Azure built-in roles, Integration; role id
 * 09976791-48a7-449e-bb21-39d1a415f350), assigned at the Communication Service's scope only — never its resource
 * group or subscription.
 */
export const EMAIL_SENDER_ROLE = 'Communication and Email Service Owner';

/** The DNS records a custom domain needs (azurerm `verification_records`: each a type, name, value and TTL). */
export const EMAIL_DNS_RECORDS = ['domain', 'spf', 'dkim', 'dkim2', 'dmarc'] as const;

/** The merged `email` config in the plan. */
export interface MergedEmailConfig {
  /** The Email Communication Service's name. */
  emailServiceName: string;
  /** The Communication Service's name (its host is the endpoint the runtime sends through). */
  communicationServiceName: string;
  /** azurerm `data_location` of both services (where e-mail content is kept at rest). */
  dataLocation: string;
  /** `'azure-managed'` or the custom domain. */
  domain: string;
  from: string;
  senderName?: string;
  invitationsPerDay: number;
  /**
   * Azure's sending limits per subscription for this domain kind (./sending-limits.ts), beside `invitationsPerDay`:
   * the bound a whole subscription shares, where `invitationsPerDay` bounds one organization.
   */
  sendingLimits: EmailSendingLimits;
  /** Components whose identity may send (the sending role at the Communication Service), sorted. */
  senders: string[];
  /** With a custom domain: the records to add to its DNS zone (Terraform outputs after apply). */
  dnsRecords: string[];
  /**
   * Who links the domain to the Communication Service: Terraform for an Azure-managed domain (verified when made),
   * `'atakora deploy'` for a custom one — only once Azure has verified it (cli/azure/email/domain-link.ts).
   */
  linkedBy: 'terraform' | 'atakora deploy';
}

/**
 * Terraform logical names of the e-mail resources: the plan's `deploys` and apply's ids both come from here.
 *
 * @example
 * ```ts
 * emailNames('notes').association; // 'notes_email_shared_association'
 * ```
 */
export function emailNames(backendId: string) {
  const base = tfName(backendId, EMAIL_KEY);
  return {
    emailService: tfName(base, 'email_service'),
    domain: tfName(base, 'domain'),
    sender: tfName(base, 'sender'),
    communicationService: base,
    association: tfName(base, 'association'),
    grant: (componentId: string) => tfName(base, 'ra', componentId),
    dnsOutput: tfName(base, 'dns_records'),
  };
}

/** The e-mail's monthly estimate at the assumed volume (facts.ts says the assumption). */
export function emailMonthlyUsd(): number {
  const mb = (ASSUMED_EMAILS_PER_MONTH * ASSUMED_EMAIL_KB) / 1024;
  return roundUsd(ASSUMED_EMAILS_PER_MONTH * EMAIL_PRICES.perEmail + mb * EMAIL_PRICES.perMegabyte);
}

/**
 * Invitations that arrive (`tenants.email`, DESIGN §2): Azure Communication Services Email — an Email Communication
 * Service with its domain (Azure-managed, or yours with the DNS records to add as outputs), a sender of its own when
 * `from` is not `DoNotReply`, a Communication Service linked to the domain, and each CrudApi's identity (the
 * membership routes run as it) holding the sending role at the Communication Service. No key or connection string
 * is read or passed anywhere: the runtime sends with its managed identity.
 */
export const emailType: BackendResourceType = {
  type: 'email',
  facts: emailFacts,
  plan(resources, config) {
    const email = config.tenants?.membership?.email;
    if (!email) return { resources: [], issues: [] };
    const issues: PlanIssue[] = [];
    const senders = [
      ...new Set(
        resources
          .filter((r) => r.type === 'functions' && r.config['crudRuntime'] === true)
          .flatMap((r) => r.consumers),
      ),
    ].sort(compare);
    const named = (prefix: string) => {
      const n = resourceName('email', prefix, undefined, config, emailFacts.name);
      issues.push(...n.issues);
      return n.name;
    };
    const managed = email.domain === 'azure-managed';
    const where = dataLocationFor(config.location);
    const merged: MergedEmailConfig = {
      emailServiceName: named('ecs'),
      communicationServiceName: named('acs'),
      dataLocation: where.location,
      domain: email.domain,
      from: email.from,
      ...(email.senderName !== undefined ? { senderName: email.senderName } : {}),
      invitationsPerDay: email.invitationsPerDay,
      sendingLimits: sendingLimitsOf(email.domain),
      senders,
      dnsRecords: managed ? [] : [...EMAIL_DNS_RECORDS],
      linkedBy: managed ? 'terraform' : 'atakora deploy',
    };
    issues.push(
      ...emailIssues({
        domain: email.domain,
        invitationsPerDay: email.invitationsPerDay,
        limits: merged.sendingLimits,
        region: config.location,
        dataLocation: where,
        dnsOutput: emailNames(config.backendId).dnsOutput,
      }),
    );
    const planned: PlannedResource = {
      key: EMAIL_KEY,
      type: 'email',
      name: merged.communicationServiceName,
      compatibility: 'email',
      config: asJsonObject(merged),
      consumers: senders,
      deploys: emailDeploys(config, merged),
      estimatedMonthlyUsd: emailMonthlyUsd(),
    };
    return { resources: [planned], issues };
  },
};

/** Every Terraform resource apply makes for the e-mail (the plan's `deploys`, provision.ts's constructs). */
function emailDeploys(config: NormalizedConfig, c: MergedEmailConfig): PlannedDeploy[] {
  const names = emailNames(config.backendId);
  return [
    { terraformType: 'azurerm_email_communication_service', name: names.emailService },
    { terraformType: 'azurerm_email_communication_service_domain', name: names.domain },
    ...(c.from !== DEFAULT_EMAIL_FROM
      ? [
          {
            terraformType: 'azurerm_email_communication_service_domain_sender_username',
            name: names.sender,
          },
        ]
      : []),
    { terraformType: 'azurerm_communication_service', name: names.communicationService },
    // A custom domain is linked by `atakora deploy` once verified: Terraform would link it in the apply that makes
    // it, before anyone could add its DNS records, and the link fails (provision.ts).
    ...(c.linkedBy === 'terraform'
      ? [
          {
            terraformType: 'azurerm_communication_service_email_domain_association',
            name: names.association,
          },
        ]
      : []),
    ...c.senders.map(
      (id): PlannedDeploy => ({ terraformType: 'azurerm_role_assignment', name: names.grant(id) }),
    ),
  ];
}
