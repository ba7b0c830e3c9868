import { z } from 'zod';
import { DEFAULT_INVITATIONS_PER_DAY } from '../contract/members.js';
import type { EmailConfig, NormalizedEmail } from '../model/config.js';
import { DEFAULT_EMAIL_FROM, EMAIL_DOMAIN, EMAIL_FROM } from '../model/email.js';
import { AtakoraError } from '../model/errors.js';

/**
 * The `tenants.email` key as the config schema takes it: its shape only; what the values may be
 * {@link normalizeEmail} checks (TENANTS_EMAIL_INVALID naming the key and what to write). Built on first use (config-schema.ts), as the
 * Marketplace's is.
 */
export function emailSchema(): EmailSchema {
  return (built ??= buildEmailSchema());
}

const buildEmailSchema = () =>
  z.strictObject({
    domain: z.string().optional(),
    from: z.string().optional(),
    senderName: z.string().optional(),
    invitationsPerDay: z.number().optional(),
  });
type EmailSchema = ReturnType<typeof buildEmailSchema>;
let built: EmailSchema | undefined;

/** The most invitation e-mails a day one organization may be allowed (ACS's default sending quota is far below). */
export const MAX_INVITATIONS_PER_DAY = 10_000;

/** The longest sender display name (azurerm v4.55.0 email_communication_service_domain_sender_username_resource.go: `display_name` 1 to 253). */
const MAX_SENDER_NAME = 253;

const invalid = (message: string, key: string, resolution: string) =>
  new AtakoraError('TENANTS_EMAIL_INVALID', message, {
    path: ['config', 'tenants', 'email', key],
    resolution,
  });

/**
 * `tenants.email` after its rules (DESIGN §2, "Invitations that arrive (e-mail)"): `domain` `'azure-managed'`
 * (default) or a DNS name of yours, `from` an e-mail local part (default `DoNotReply`), `senderName` one line
 * without control characters — a display name only a sender of its own carries (a `from` other than
 * `DoNotReply`, whose display name is Azure's) —, `invitationsPerDay` a whole number from 1 to 10,000 (default 50).
 *
 * @example
 * ```ts
 * normalizeEmail({}); // { domain: 'azure-managed', from: 'DoNotReply', invitationsPerDay: 50 }
 * ```
 */
export function normalizeEmail(email: EmailConfig): NormalizedEmail {
  const domain = email.domain ?? 'azure-managed';
  if (domain !== 'azure-managed' && !EMAIL_DOMAIN.test(domain))
    throw invalid(
      `tenants.email.domain ${JSON.stringify(domain)} is neither 'azure-managed' nor a domain name (lower-case ` +
        'labels of letters, digits and -, separated by dots, e.g. mail.contoso.com).',
      'domain',
      "Write domain: 'azure-managed' (Azure gives the sender domain), or a domain you own such as " +
        "'mail.contoso.com' (its DNS records are plan outputs to add).",
    );
  const from = email.from ?? DEFAULT_EMAIL_FROM;
  if (!EMAIL_FROM.test(from))
    throw invalid(
      `tenants.email.from ${JSON.stringify(from)} is not an e-mail local part (letters, digits, '.', '_', '-', ` +
        'at most 64, no @: the domain comes from tenants.email.domain).',
      'from',
      "Write the part before the @, e.g. from: 'DoNotReply' (the default) or 'invitations'.",
    );
  // Learn, "Quickstart: How to add and remove multiple sender addresses": sender usernames "can't be enabled for
  // Azure Managed Domains regardless of the sending limits" (nor for custom domains with the default limits).
  if (from !== DEFAULT_EMAIL_FROM && domain === 'azure-managed')
    throw invalid(
      `tenants.email.from ${JSON.stringify(from)} needs a sender username, which an Azure-managed domain cannot ` +
        `have: it sends as ${DEFAULT_EMAIL_FROM} only.`,
      'from',
      `Leave from out (${DEFAULT_EMAIL_FROM}), or send from a domain you own (domain: 'mail.contoso.com'; custom ` +
        'senders also need the raised sending limits Azure grants on request).',
    );
  const name = email.senderName;
  if (
    name !== undefined &&
    (name.trim() === '' || name.length > MAX_SENDER_NAME || /[\u0000-\u001f\u007f]/.test(name))
  )
    throw invalid(
      `tenants.email.senderName must be one line of 1 to ${String(MAX_SENDER_NAME)} characters without control ` +
        'characters (it becomes the From header’s display name).',
      'senderName',
      "Write a plain name, e.g. senderName: 'Contoso Teams'.",
    );
  if (name !== undefined && from === DEFAULT_EMAIL_FROM)
    throw invalid(
      `tenants.email.senderName needs a sender of its own: the ${DEFAULT_EMAIL_FROM} sender every ACS domain starts ` +
        'with keeps the display name Azure gave it.',
      'senderName',
      "Name a sender too, e.g. from: 'invitations', senderName: 'Contoso Teams' (planned as an ACS sender " +
        'username with that display name).',
    );
  const perDay = email.invitationsPerDay ?? DEFAULT_INVITATIONS_PER_DAY;
  if (!Number.isInteger(perDay) || perDay < 1 || perDay > MAX_INVITATIONS_PER_DAY)
    throw invalid(
      `tenants.email.invitationsPerDay is ${String(perDay)}: it bounds the invitation e-mails one organization ` +
        `sends a UTC day, a whole number from 1 to ${String(MAX_INVITATIONS_PER_DAY)}.`,
      'invitationsPerDay',
      `Write a whole number such as ${String(DEFAULT_INVITATIONS_PER_DAY)} (the default when left out).`,
    );
  return {
    domain,
    from,
    ...(name !== undefined ? { senderName: name } : {}),
    invitationsPerDay: perDay,
  };
}
