import type { BackendProvisioner } from '../../kit/cdktf/provisioner.js';
import { named, topLevel } from '../../kit/cdktf/provision-context.js';
import { azurerm, cdktf } from '../../kit/cdktf/cdk-modules.js';
import { EMAIL_DOMAIN_KEY } from '../../kit/cdktf/email-settings.js';
import { DEFAULT_EMAIL_FROM } from '../../model/email.js';
import { grantComponents } from '../component-grants.js';
import { mergedConfigOf } from '../types.js';
import { EMAIL_SENDER_ROLE, emailNames } from './type.js';

/** The name ACS gives an Azure-managed domain resource (the provider's acceptance tests and Learn use it). */
const AZURE_MANAGED_DOMAIN = 'AzureManagedDomain';

/**
 * ACS Email as azurerm v4.55.0 takes it (internal/services/communication):
 * - `azurerm_email_communication_service`: `name`, `resource_group_name`, `data_location` (required, ForceNew; no
 *   `location`: the service is global).
 * - `azurerm_email_communication_service_domain`: `name` (`AzureManagedDomain` or the domain), `email_service_id`,
 *   `domain_management` `AzureManaged` | `CustomerManaged`; `user_engagement_tracking_enabled` left false (no
 *   tracking pixel in an invitation). Its computed `from_sender_domain` is the sender's domain,
 *   `verification_records` the DNS records a custom domain needs (a Terraform output).
 * - `azurerm_email_communication_service_domain_sender_username` (`from` other than DoNotReply, custom domains
 *   only): `name`, `email_service_domain_id`, `display_name` (the sender name).
 * - `azurerm_communication_service`: `name`, `resource_group_name`, `data_location`; its keys and connection strings
 *   are computed attributes this stack never reads or passes on.
 * - `azurerm_communication_service_email_domain_association`: `communication_service_id`, `email_service_domain_id`
 *   — for an Azure-managed domain only. Learn ("Quickstart: How to connect a verified email domain"): the domain "must
 *   be fully verified before attempting to link it", and a custom domain is verified only once its owner has added
 *   the DNS records this apply makes known — so linking it in the same apply fails. `atakora deploy` links it through
 *   Resource Manager once Azure says it is verified (cli/azure/email/domain-link.ts), and the second plan stays clean:
 *   azurerm_communication_service neither reads `linkedDomains` nor drops them (its Read sets data_location, hostname
 *   and tags; its Update sends back the model it read — communication_service_resource.go@v4.55.0).
 *
 * @example
 * ```ts
 * ctx.constructs.set(resource.key, emailProvisioner.provision(ctx, resource));
 * ```
 */
export const emailProvisioner: BackendProvisioner = {
  // Each sender's identity holds the sending role at the Communication Service only; its Function App waits.
  finalize(ctx, resource) {
    const grant = emailNames(ctx.config.backendId).grant;
    grantComponents(
      ctx,
      resource.key,
      EMAIL_SENDER_ROLE,
      mergedConfigOf('email', resource).senders,
      grant,
    );
  },
  provision(ctx, resource) {
    const c = mergedConfigOf('email', resource);
    const names = emailNames(ctx.config.backendId);
    const { EmailCommunicationService } = azurerm('email-communication-service');
    const { EmailCommunicationServiceDomain } = azurerm('email-communication-service-domain');
    const { CommunicationService } = azurerm('communication-service');
    const { CommunicationServiceEmailDomainAssociation } = azurerm(
      'communication-service-email-domain-association',
    );
    const emailService = named(
      new EmailCommunicationService(ctx.scope, names.emailService, {
        ...topLevel(ctx, c.emailServiceName),
        dataLocation: c.dataLocation,
      }),
      names.emailService,
    );
    const managed = c.domain === 'azure-managed';
    const domain = named(
      new EmailCommunicationServiceDomain(ctx.scope, names.domain, {
        name: managed ? AZURE_MANAGED_DOMAIN : c.domain,
        emailServiceId: emailService.id,
        domainManagement: managed ? 'AzureManaged' : 'CustomerManaged',
        userEngagementTrackingEnabled: false,
        tags: { ...ctx.tags },
      }),
      names.domain,
    );
    if (c.from !== DEFAULT_EMAIL_FROM) {
      const { EmailCommunicationServiceDomainSenderUsername } = azurerm(
        'email-communication-service-domain-sender-username',
      );
      named(
        new EmailCommunicationServiceDomainSenderUsername(ctx.scope, names.sender, {
          name: c.from,
          emailServiceDomainId: domain.id,
          ...(c.senderName !== undefined ? { displayName: c.senderName } : {}),
        }),
        names.sender,
      );
    }
    const top = topLevel(ctx, c.communicationServiceName);
    const service = named(
      new CommunicationService(ctx.scope, names.communicationService, {
        ...top,
        dataLocation: c.dataLocation,
        // Made after the domain and destroyed before it: the link deploy makes lives on this service, and Azure
        // removes it with the service, so the domain is never deleted while linked.
        ...(managed ? {} : { dependsOn: [...top.dependsOn, domain] }),
      }),
      names.communicationService,
    );
    if (managed)
      named(
        new CommunicationServiceEmailDomainAssociation(ctx.scope, names.association, {
          communicationServiceId: service.id,
          emailServiceDomainId: domain.id,
        }),
        names.association,
      );
    // A custom domain sends once its owner added these records (Learn, "Quickstart: How to add custom verified
    // email domains"): type, name, value and TTL of each, after apply.
    if (!managed)
      new cdktf.TerraformOutput(ctx.scope, names.dnsOutput, {
        value: domain.verificationRecords,
        description: `DNS records to add to ${c.domain} so ACS Email may send from it.`,
      }).overrideLogicalId(names.dnsOutput);
    ctx.constructs.set(EMAIL_DOMAIN_KEY, domain);
    return service;
  },
};
