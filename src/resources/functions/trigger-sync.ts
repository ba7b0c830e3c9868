/**
 * Trigger sync for Function Apps after a package change, as a management-plane call.
 *
 * Why it is needed: the package is written as a blob (package-delivery.ts), not published through OneDeploy,
 * and a Flex app scaled to zero starts no instance that would sync its triggers by itself; the scale
 * controller then knows nothing of new timer or queue triggers until an HTTP request starts an instance
 * (Learn, "Deployment technologies in Azure Functions", trigger syncing). The fix is `POST
 * …/providers/Microsoft.Web/sites/{app}/syncfunctiontriggers` (REST: WebApps_SyncFunctionTriggers), which goes
 * through Azure Resource Manager and so works for a private app too.
 *
 * Why not inside Terraform: the pinned providers cannot make that call. azurerm 4.55 has no resource or
 * action for it (its only publish path, `zip_deploy_file`, posts to Kudu's /api/zipdeploy, absent on Flex:
 * hashicorp/terraform-provider-azurerm#29630), and azapi is not among the pinned providers. A `local-exec`
 * running `az rest` would run on whatever machine runs `terraform apply`, need the Azure CLI signed in there
 * beside Terraform's own credentials, and fail apply where it is missing (Terraform Cloud remote runs, a bare
 * CI image). So the stack outputs, per Function App, what the call needs — its ARM id and its package hash —
 * and `atakora deploy` (or your pipeline) makes the call after apply when the hash changed: the URLs are
 * `triggerSyncRequests` (src/cli/azure/trigger-sync-requests.ts, exported from `@atakora/component/backend`).
 */

/** Prefix of the stack output each Function App gets (`atakora_sync_triggers_<app's logical name>`). */
export const SYNC_TRIGGERS_OUTPUT_PREFIX = 'atakora_sync_triggers_';
