import type { AzureadProvider } from '@cdktf/provider-azuread/lib/provider/index.js';
import { externalProviderAlias } from '../pure/external-tenant.js';
import type { ProvisionContext } from './provision-context.js';
import { azuread } from './azuread-modules.js';
import { cdktf } from './cdk-modules.js';
import { defaultProvider } from './default-provider.js';

/**
 * The `azuread` provider the backend's registrations go through, as the `provider` argument of each azuread
 * resource and data source: `{}` for the stack's default one (configured by the user's own stack, or added here,
 * reading the same `ARM_*` settings as azurerm; `auth.tenantId`, when given, names the tenant), and for a customer
 * sign-in `{ provider }` naming an aliased one configured for the external tenant (`tenant_id`: the azuread 3.7.0
 * provider's index page, "tenant_id … The Tenant ID which should be used", and "multiple Provider blocks … to work with
 * resources across multiple Azure Active Directory Tenants"; internal/provider/provider.go @v3.7.0). The alias
 * leaves a stack's own workforce provider as it is; Terraform signs in to the external tenant with the same
 * credentials (docs/sign-in.md#customers says which).
 *
 * @example
 * ```ts
 * new Application(ctx.scope, id, { displayName, ...azureadProviderOf(ctx) });
 * ```
 */
export function azureadProviderOf(ctx: ProvisionContext): { provider?: AzureadProvider } {
  const { AzureadProvider } = azuread('provider');
  const stack = cdktf.TerraformStack.of(ctx.scope);
  const customers = ctx.config.auth.customers;
  if (!customers) {
    if (!defaultProvider(stack, 'azuread'))
      new AzureadProvider(
        stack,
        'azuread',
        ctx.config.auth.tenantId ? { tenantId: ctx.config.auth.tenantId } : {},
      );
    return {};
  }
  const alias = externalProviderAlias(ctx.config.backendId);
  const existing = stack.node.tryFindChild(alias);
  if (existing instanceof AzureadProvider) return { provider: existing };
  return { provider: new AzureadProvider(stack, alias, { alias, tenantId: customers.tenantId }) };
}
