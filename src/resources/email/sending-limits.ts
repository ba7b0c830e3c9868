/**
 * Azure's e-mail sending limits per subscription (Learn, "Service limits for Azure Communication Services", Email,
 * Rate Limits: https://learn.microsoft.com/azure/communication-services/concepts/service-limits#email): for a custom
 * domain 30 e-mails a minute and 100 an hour, status reads (Get Email Status) 60 a minute and 200 an hour; for an
 * Azure-managed domain 5 and 10, status 10 and 20. Past them ACS answers 429 with `Retry-After` ("your requests are
 * rejected. You can attempt these requests again, when the Retry-After time has passed"); a support request raises
 * them once the sender has a reputation. They bound the whole subscription, every organization of every backend in
 * it together — far below `invitationsPerDay` (per organization) as soon as a few organizations invite at once.
 */
export const EMAIL_SENDING_LIMITS = {
  'azure-managed': { perMinute: 5, perHour: 10, statusPerMinute: 10, statusPerHour: 20 },
  custom: { perMinute: 30, perHour: 100, statusPerMinute: 60, statusPerHour: 200 },
} as const;

/** One domain kind's limits. */
export type EmailSendingLimits = (typeof EMAIL_SENDING_LIMITS)[keyof typeof EMAIL_SENDING_LIMITS];

/** Where the figures come from (the plan and the docs cite it). */
export const EMAIL_LIMITS_DOC =
  'https://learn.microsoft.com/azure/communication-services/concepts/service-limits#email';

/**
 * The sending limits of a `tenants.email.domain` (`'azure-managed'` or a custom domain).
 *
 * @example
 * ```ts
 * sendingLimitsOf('azure-managed').perMinute; // 5
 * ```
 */
export function sendingLimitsOf(domain: string): EmailSendingLimits {
  return domain === 'azure-managed'
    ? EMAIL_SENDING_LIMITS['azure-managed']
    : EMAIL_SENDING_LIMITS.custom;
}
