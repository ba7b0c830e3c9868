import type { PlanIssue } from '../../model/plan.js';
import { globalDnsName } from '../../kit/pure/names/azure-name-rules.js';
import { defineResourceFacts } from '../../kit/pure/resources/resource-facts.js';

/**
 * Azure Communication Services Email list prices, USD, recorded 2026-11 from
 * https://azure.microsoft.com/pricing/details/communication-services/ ("Email"): $0.00025 per e-mail sent to each
 * recipient, $0.00012 per megabyte transferred; the Email Communication Service, its domains and the Communication
 * Service themselves cost nothing.
 */
export const EMAIL_PRICES = { perEmail: 0.00025, perMegabyte: 0.00012 } as const;

/**
 * What the estimate assumes an invitation costs: one recipient and about 10 KB (text and HTML, no attachment), and
 * {@link ASSUMED_EMAILS_PER_MONTH} of them — the daily bound caps each organization, not the whole backend.
 */
export const ASSUMED_EMAIL_KB = 10;
export const ASSUMED_EMAILS_PER_MONTH = 10_000;

/**
 * ACS Email's facts: it holds no data the guard protects (messages are sent, not stored), global names (the
 * Communication Service's is its `<name>.<geo>.communication.azure.com` host; azurerm v4.55.0
 * internal/services/communication/validate/communication_service_name.go: 1 to 64, letters, digits and hyphens,
 * starting with a letter, not ending with a hyphen — the same rule for the Email Communication Service), the
 * resource provider `Microsoft.Communication`, which azurerm does not register itself (it is not in the `legacy`
 * set of internal/resourceproviders/required.go@v4.55.0).
 */
export const emailFacts = defineResourceFacts({
  dataHolding: false,
  terraformTypes: {
    globalName: ['azurerm_communication_service', 'azurerm_email_communication_service'],
  },
  name: globalDnsName(1, 63),
  resourceProviders: [
    {
      namespace: 'Microsoft.Communication',
      terraformTypes: [
        'azurerm_communication_service',
        'azurerm_communication_service_',
        'azurerm_email_communication_service',
        'azurerm_email_communication_service_',
      ],
      registeredByAzurerm: false,
    },
  ],
  sample: {
    requirements: [
      {
        resourceType: 'functions',
        config: { runtime: 'node', functionCount: 1, crudRuntime: true },
      },
    ],
    backend: {
      tenants: {
        by: 'membership',
        plans: { free: {} },
        defaultPlan: 'free',
        email: {},
      },
    },
  },
  price: {
    model:
      `$${String(EMAIL_PRICES.perEmail)} per e-mail plus $${String(EMAIL_PRICES.perMegabyte)} per MB, at an assumed ` +
      `${ASSUMED_EMAILS_PER_MONTH.toLocaleString('en-US')} invitation e-mails of ${String(ASSUMED_EMAIL_KB)} KB a month; ` +
      'the services and domains themselves are free',
    sources: [
      'https://azure.microsoft.com/pricing/details/communication-services/',
      'https://learn.microsoft.com/azure/communication-services/concepts/email-pricing',
    ],
  },
  // azurerm v4.55.0: name and data_location are ForceNew on both services, domain_management on the domain.
  forcesNew: (path) => path[0] === 'dataLocation' || path[0] === 'domain',
  changeIssue: (key, path, before, after) =>
    path[0] === 'dataLocation' ? dataLocationChanged(key, before, after) : undefined,
});

/**
 * A new data location replaces both services (azurerm v4.55.0: `data_location` ForceNew on the Email Communication
 * Service and the Communication Service) and with them the domain: nothing of the guard's (no data is kept), but
 * the sender changes — an Azure-managed domain gets another generated `…azurecomm.net` name, a custom domain must be
 * verified and linked again — and the sending limits' reputation starts over.
 */
function dataLocationChanged(resourceKey: string, before: unknown, after: unknown): PlanIssue {
  return {
    severity: 'warning',
    code: 'EMAIL_DATA_LOCATION_CHANGED',
    path: ['resources', resourceKey, 'config', 'dataLocation'],
    details: { resourceKey, before, after },
    message:
      `${resourceKey}: the e-mail data location goes from ${String(before)} to ${String(after)} (the backend's region ` +
      'moved to another geography). Azure cannot move it: the Email Communication Service, its domain and the ' +
      'Communication Service are replaced — an Azure-managed domain gets a new sender address, a custom domain must ' +
      'verify and link again (atakora deploy), and invitations sent meanwhile fail.',
    resolution:
      'Keep the backend in a region of the same geography, or plan the switch: deploy, add the new DNS records for ' +
      'a custom domain, and deploy again (docs/tenants.md, "Where e-mail data rests").',
  };
}
