import type { CommunicationService, EmailCommunicationServiceDomain } from './azurerm-types.js';
import type { ProvisionContext } from './provision-context.js';
import { EMAIL_ENDPOINT_SETTING, EMAIL_KEY, EMAIL_SENDER_SETTING } from '../../model/email.js';

/** Where the e-mail provisioner leaves its domain for the Function Apps' settings (its service is under EMAIL_KEY). */
export const EMAIL_DOMAIN_KEY = `${EMAIL_KEY}#domain`;

/**
 * The app settings that tell the runtime where invitation e-mail goes (model/email.ts): the Communication Service's
 * endpoint (`https://` + its `hostname`) and the sender address (`<from>@` + the domain's `from_sender_domain`, which
 * Azure generates for an Azure-managed domain) — Terraform references until apply. Empty without `tenants.email`.
 * No key and no connection string: the runtime sends with its managed identity.
 *
 * @example
 * ```ts
 * Object.assign(appSettings, emailSettingsOf(ctx));
 * ```
 */
export function emailSettingsOf(ctx: ProvisionContext): Record<string, string> {
  const service = ctx.constructs.get(EMAIL_KEY) as CommunicationService | undefined;
  const domain = ctx.constructs.get(EMAIL_DOMAIN_KEY) as
    | EmailCommunicationServiceDomain
    | undefined;
  const planned = ctx.plan.resources.find((r) => r.key === EMAIL_KEY);
  const from = planned?.config['from'];
  if (!service || !domain || typeof from !== 'string') return {};
  return {
    [EMAIL_ENDPOINT_SETTING]: `https://${service.hostname}`,
    [EMAIL_SENDER_SETTING]: `${from}@${domain.fromSenderDomain}`,
  };
}
