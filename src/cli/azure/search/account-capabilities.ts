import { AtakoraError } from '../../../model/errors.js';
import { accountUrl, armRead, withVersion, type ArmSession } from '../cosmos-accounts.js';
import { armWrite, type ArmWaitOptions } from './arm-operation.js';

/**
 * Give a live account the capabilities its search containers need, through Resource Manager (Database Accounts - Get,
 * then Database Accounts - Update with `properties.capabilities`, api-version 2024-08-15 as azurerm v4.55.0 calls it),
 * and say which were added. Why not Terraform: azurerm v4.55.0 adds only a listed few capabilities to an existing
 * account in place — `checkCapabilitiesCanBeUpdated` in internal/services/cosmos/cosmosdb_account_resource.go, behind
 * the `ForceNewIf("capabilities", …)` of its CustomizeDiff — and `EnableNoSQLVectorSearch` is not among them, so
 * Terraform would replace the account (its data lost). Cosmos DB itself turns it on in place (Learn, "Vector search
 * in Azure Cosmos DB for NoSQL", enable the feature: `az cosmosdb update --capabilities EnableNoSQLVectorSearch`;
 * "it may take 15 minutes to fully activate"), so the stack declares the capability for a new account and ignores the
 * list afterwards (resources/cosmos/provision.ts), and this step adds what an existing account lacks. The list an
 * Update sends replaces the account's: every capability it has is sent back with the new one.
 *
 * @example
 * ```ts
 * await ensureAccountCapabilities(session, 'rg-app-prod', 'cosmos-app-prod', ['EnableNoSQLVectorSearch'], options); // ['EnableNoSQLVectorSearch']
 * ```
 */
export async function ensureAccountCapabilities(
  s: ArmSession,
  resourceGroup: string,
  account: string,
  needed: readonly string[],
  o: ArmWaitOptions,
): Promise<string[]> {
  if (needed.length === 0) return [];
  const url = withVersion(accountUrl(s, resourceGroup, account));
  const found = await armRead(s, `reading Cosmos DB account ${account}`, url);
  if (!found)
    throw new AtakoraError(
      'SEARCH_CONTAINER_DEPLOY_FAILED',
      `Cosmos DB account ${account} was not found in resource group ${resourceGroup} after apply.`,
      {
        path: ['deploy', 'search', account],
        resolution:
          'Run atakora deploy again: Terraform creates the account before this step runs (or check the ' +
          "existing account's name and resource group in cosmosConfig).",
      },
    );
  const properties = ((found.json as { properties?: unknown }).properties ?? {}) as {
    capabilities?: { name?: unknown }[];
  };
  const have = (properties.capabilities ?? [])
    .map((c) => c.name)
    .filter((n): n is string => typeof n === 'string');
  const missing = needed.filter((n) => !have.some((h) => h.toLowerCase() === n.toLowerCase()));
  if (missing.length === 0) return [];
  o.log(
    `${account}: enabling ${missing.join(', ')} on the account in place (Cosmos DB may take up to 15 minutes to ` +
      `activate it)\n`,
  );
  await armWrite(
    s,
    'PATCH',
    url,
    { properties: { capabilities: [...have, ...missing].map((name) => ({ name })) } },
    `enabling ${missing.join(', ')} on ${account}`,
    o,
    'SEARCH_CONTAINER_DEPLOY_FAILED',
  );
  return missing;
}
