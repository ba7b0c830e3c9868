/**
 * Invitations that arrive (docs/tenants.md, "Inviting people end to end: the e-mail"): tenants by membership that
 * e-mail their invitations through Azure Communication Services Email. Two backends:
 *
 * - `managedEmail`: an Azure-managed domain (`DoNotReply@<generated>.azurecomm.net`) — one deploy and it sends;
 * - `customDomainEmail`: your own domain with a sender of its own — two steps. The first `atakora deploy` makes the
 *   domain and prints its DNS records (Terraform output `<backend>_email_shared_dns_records`); once they are in the
 *   zone, the next `atakora deploy` starts Azure's verification, waits for it and links the domain to the
 *   Communication Service (never before Azure says it is verified).
 *
 * Both plans name Azure's sending limits per subscription beside `invitationsPerDay` (EMAIL_SENDING_LIMITS): 5 a
 * minute and 10 an hour from an Azure-managed domain, 30 and 100 from a custom one; past them an invitation's
 * e-mail is `queued` and sent after ACS's `Retry-After`.
 *
 *   npx atakora plan examples/invitation-email.ts
 *   npx atakora deploy examples/invitation-email.ts customDomainEmail   # then add the records, and deploy again
 */
import { App } from 'cdktf';
import { defineBackend } from '@atakora/component/backend';
import { CrudApi } from '@atakora/component/crud';
import { ResourceGroupStack } from '@atakora/component/cdk';

const projects = () =>
  CrudApi.define('ProjectApi', {
    entityName: 'Project',
    schema: { id: 'string', name: { type: 'string', required: true, maxLength: 200 } },
    access: [
      { allow: 'authenticated', operations: ['read', 'list', 'create'] },
      { allow: 'role', role: 'Owner' },
    ],
  });

const membership = {
  by: 'membership',
  createTenants: 'any-user',
  plans: { free: {} },
  defaultPlan: 'free',
} as const;

/** An Azure-managed sender domain, in West Europe: e-mail data rests in Europe. */
export const managedEmail = defineBackend(
  { projects: projects() },
  {
    backendId: 'mailmanaged',
    environment: 'prod',
    location: 'westeurope',
    tenants: { ...membership, email: { invitationsPerDay: 50 } },
  },
);

/** A domain of yours with its own sender and display name, in Austria East (data location Europe). */
export const customDomainEmail = defineBackend(
  { projects: projects() },
  {
    backendId: 'mailcustom',
    environment: 'prod',
    location: 'austriaeast',
    tenants: {
      ...membership,
      email: {
        domain: 'mail.contoso.com',
        from: 'invitations',
        senderName: 'Contoso Teams',
        invitationsPerDay: 100,
      },
    },
  },
);

/** Both backends in their stacks, as `atakora synth examples/invitation-email.ts` writes them. */
export function synthInvitationEmail(outdir = 'cdktf.out') {
  const app = new App({ outdir });
  managedEmail.addToStack(
    new ResourceGroupStack(app, 'ManagedEmailStack', {
      resourceGroupName: 'rg-mail-managed',
      location: 'westeurope',
    }),
  );
  customDomainEmail.addToStack(
    new ResourceGroupStack(app, 'CustomDomainEmailStack', {
      resourceGroupName: 'rg-mail-custom',
      location: 'austriaeast',
    }),
  );
  app.synth();
  return { app, managedEmail, customDomainEmail };
}

if (import.meta.url === `file://${process.argv[1]}`) synthInvitationEmail();
