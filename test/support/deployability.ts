/**
 * Deployability rules over a synthesized `cdk.tf.json`: the documented constraints a backend relies on to
 * deploy and run on Azure with azurerm 4.55, each with its source. `deployabilityProblems` returns one line per
 * broken rule (empty when every rule holds), so a test shows exactly what would fail at `terraform apply`.
 */
import { NAME_RULES } from '../../src/resources/facts.js';
import { check } from '../../src/kit/pure/names/naming.js';
import { orderProblems } from './order-rules.js';
import { readBackProblems } from './read-back-rules.js';
import { dataSourceProblems } from './data-source-rules.js';
import { lineOfSightProblems } from './line-of-sight-rules.js';
import { nsgProblems } from './nsg-rules.js';
import { freshSubscriptionProblems } from './fresh-subscription-rules.js';

type Attrs = Readonly<Record<string, unknown>>;
/** The parsed `cdk.tf.json` of one stack. */
export interface TfJson {
  readonly resource?: Readonly<Record<string, Readonly<Record<string, Attrs>>>>;
  readonly [key: string]: unknown;
}

const FLEX = 'azurerm_function_app_flex_consumption';
const LINUX = 'azurerm_linux_function_app';
/** Global (DNS) names by Terraform type → the planner's name rule. */
const NAMED: Readonly<Record<string, string>> = {
  azurerm_cosmosdb_account: 'cosmos',
  [LINUX]: 'functions',
  [FLEX]: 'functions',
  azurerm_storage_account: 'storage',
  azurerm_key_vault: 'keyvault',
  azurerm_servicebus_namespace: 'servicebus',
};

const entries = (json: TfJson, type: string) => Object.entries(json.resource?.[type] ?? {});
const settingsOf = (app: Attrs) => (app['app_settings'] ?? {}) as Record<string, string>;
const ref = (type: string | undefined, name: string | undefined, attr: string) =>
  `\${${type}.${name}.${attr}}`;
/** `${azurerm_x.y.attr}` → [type, name, attr]. */
const parseRef = (v: unknown) =>
  typeof v === 'string'
    ? /^\$\{([a-z0-9_]+)\.([A-Za-z0-9_-]+)\.([a-z0-9_.[\]]+)\}$/.exec(v)?.slice(1)
    : undefined;
const literal = (v: unknown): v is string => typeof v === 'string' && !v.includes('${');

/**
 * The Functions host id rule (Learn, "Storage considerations for Azure Functions", "Host ID considerations"):
 * the id is `AzureFunctionsWebHost__hostid` when set, else the first 32 characters of the app name; it is
 * 1-32 lowercase letters, digits and single inner hyphens.
 */
export function effectiveHostId(name: string, settings: Record<string, string>): string {
  return settings['AzureFunctionsWebHost__hostid'] ?? name.toLowerCase().slice(0, 32);
}

/** Every broken deployability rule in one synthesized stack, as `address: problem (source)` lines. */
export function deployabilityProblems(json: TfJson): string[] {
  const problems: string[] = [];
  const add = (address: string, problem: string, source: string) =>
    problems.push(`${address}: ${problem} (${source})`);
  const apps = [
    ...entries(json, FLEX).map(([n, a]) => ({ type: FLEX, name: n, app: a })),
    ...entries(json, LINUX).map(([n, a]) => ({ type: LINUX, name: n, app: a })),
  ];
  const plans = new Map(entries(json, 'azurerm_service_plan'));
  const roles = entries(json, 'azurerm_role_assignment');
  const blobs = entries(json, 'azurerm_storage_blob');
  const subnets = new Map(entries(json, 'azurerm_subnet'));

  for (const { type, name, app } of apps) {
    const at = `${type}.${name}`;
    const settings = settingsOf(app);
    const plan = parseRef(app['service_plan_id']);
    const sku =
      plan && plan[0] === 'azurerm_service_plan'
        ? plans.get(plan[1] ?? '')?.['sku_name']
        : undefined;
    // Learn, "Package-based deployment" (deployment-zip-push), table by hosting plan; Y1 runs packages only from an external URL.
    if (sku === 'Y1')
      add(
        at,
        'runs on Linux Consumption (Y1)',
        'Learn: deployment-zip-push, Linux Consumption needs an external package URL',
      );
    // azurerm 4.55 posts zip_deploy_file to Kudu /api/zipdeploy: absent on Flex (#29630), closed with public access off.
    if (app['zip_deploy_file'] !== undefined)
      add(
        at,
        'deploys through the SCM site (zip_deploy_file)',
        'provider issue #29630; Learn: private endpoints close the SCM site',
      );
    const identityIds = ((app['identity'] as Attrs | undefined)?.['identity_ids'] ??
      []) as string[];
    if (type === FLEX) {
      if (sku !== undefined && sku !== 'FC1')
        add(
          at,
          `Flex app on plan ${String(sku)}`,
          'azurerm docs: function_app_flex_consumption needs an FC1 plan',
        );
      if ('WEBSITE_RUN_FROM_PACKAGE' in settings)
        add(
          at,
          'sets WEBSITE_RUN_FROM_PACKAGE',
          "Learn: deployment-zip-push, Flex: don't set WEBSITE_RUN_FROM_PACKAGE",
        );
      if (app['storage_authentication_type'] === 'StorageAccountConnectionString')
        add(
          at,
          'reads its deployment container with a key',
          'shared keys are off on the storage account',
        );
      if (
        app['storage_authentication_type'] === 'UserAssignedIdentity' &&
        !identityIds.includes(String(app['storage_user_assigned_identity_id']))
      ) {
        add(
          at,
          'deployment storage identity is not attached to the app',
          'azurerm docs: storage_user_assigned_identity_id',
        );
      }
      // azurerm 4.55 injects AzureWebJobsStorage with an empty AccountKey unless app_settings overrides it (#29693, #30732);
      // the override is a name equal to it ignoring case (MergeUserAppSettings dedupes with strings.EqualFold).
      const override = Object.entries(settings).find(
        ([k]) => k.toLowerCase() === 'azurewebjobsstorage',
      );
      if (override?.[1] !== '')
        add(
          at,
          'keeps the provider-injected AzureWebJobsStorage connection string',
          'provider issues #29693, #30732; helpers/function_app_schema.go@v4.55.0 MergeUserAppSettings',
        );
    } else {
      const pkg = settings['WEBSITE_RUN_FROM_PACKAGE'];
      if (pkg === '1')
        add(
          at,
          'WEBSITE_RUN_FROM_PACKAGE=1 without zip deploy has no package to run',
          'Learn: run-functions-from-deployment-package',
        );
      if (
        pkg !== undefined &&
        app['storage_uses_managed_identity'] === true &&
        !settings['WEBSITE_RUN_FROM_PACKAGE_BLOB_MI_RESOURCE_ID']
      ) {
        add(
          at,
          'package URL without WEBSITE_RUN_FROM_PACKAGE_BLOB_MI_RESOURCE_ID (no SAS, keys off)',
          'Learn: run-functions-from-deployment-package, managed identity',
        );
      }
    }
    // Learn, "Connecting to host storage with an identity": a user-assigned identity needs credential + clientId.
    if (
      !settings['AzureWebJobsStorage__accountName'] &&
      !(
        type === LINUX &&
        app['storage_uses_managed_identity'] === true &&
        app['storage_account_name']
      )
    )
      add(
        at,
        'no identity-based host storage (AzureWebJobsStorage__accountName)',
        'Learn: functions-reference, host storage with an identity',
      );
    if (
      settings['AzureWebJobsStorage__credential'] === 'managedidentity' &&
      !settings['AzureWebJobsStorage__clientId']
    )
      add(
        at,
        'managedidentity credential without clientId',
        'Learn: functions-reference, identity-based connections',
      );
    // The identity must hold its storage roles before the app starts: depends_on every role of that principal.
    const clientId = parseRef(settings['AzureWebJobsStorage__clientId']);
    const dependsOn = (app['depends_on'] ?? []) as string[];
    if (clientId) {
      const principal = ref(clientId[0]!, clientId[1]!, 'principal_id');
      const mine = roles.filter(([, r]) => r['principal_id'] === principal);
      if (mine.length < 3)
        add(
          at,
          `host identity has ${mine.length} storage role(s), needs blob, queue and table`,
          'Learn: functions-reference, host storage roles',
        );
      for (const [rn] of mine)
        if (!dependsOn.includes(`azurerm_role_assignment.${rn}`))
          add(at, `does not depend on role assignment ${rn}`, 'roles exist before the app starts');
    }
    for (const [bn, b] of blobs) {
      const container = parseRef(b['storage_container_name']);
      const endpoint = String(app['storage_container_endpoint'] ?? '');
      const mine =
        container &&
        (endpoint.includes(`${container[0]}.${container[1]}.`) ||
          settings['WEBSITE_RUN_FROM_PACKAGE'] === ref('azurerm_storage_blob', bn, 'url'));
      if (mine && !dependsOn.includes(`azurerm_storage_blob.${bn}`))
        add(
          at,
          `does not depend on its package blob ${bn}`,
          'the package exists before the app starts',
        );
      if (mine && type === FLEX && b['name'] !== 'released-package.zip')
        add(
          `azurerm_storage_blob.${bn}`,
          'Flex package is not named released-package.zip',
          'Learn: functions-infrastructure-as-code, Flex deployment package',
        );
    }
    // Flex joins subnets delegated to Microsoft.App/environments; Premium/Dedicated to Microsoft.Web/serverFarms.
    const subnet = parseRef(app['virtual_network_subnet_id']);
    const delegation =
      subnet && subnet[0] === 'azurerm_subnet'
        ? (((subnets.get(subnet[1]!)?.['delegation'] ?? []) as Attrs[])[0]?.[
            'service_delegation'
          ] as Attrs | undefined)
        : undefined;
    const wanted = type === FLEX ? 'Microsoft.App/environments' : 'Microsoft.Web/serverFarms';
    if (delegation && delegation['name'] !== wanted)
      add(
        at,
        `integration subnet delegated to ${String(delegation['name'])}, needs ${wanted}`,
        'Learn: flex-consumption-plan / overview-vnet-integration',
      );
    if (app['public_network_access_enabled'] === false && !app['virtual_network_subnet_id'])
      add(at, 'private app without VNet integration', 'Learn: functions-networking-options');
  }

  // Host ids of apps on one storage account are distinct (Learn, "Host ID considerations").
  const byAccount = new Map<string, string[]>();
  for (const { type, name, app } of apps) {
    const account =
      settingsOf(app)['AzureWebJobsStorage__accountName'] ??
      String(app['storage_account_name'] ?? '');
    const id = effectiveHostId(literal(app['name']) ? app['name'] : name, settingsOf(app));
    if (
      !/^[a-z0-9](?:[a-z0-9]|-(?!-)){0,30}[a-z0-9]?$/.test(id) ||
      id.length > 32 ||
      id.endsWith('-')
    )
      add(
        `${type}.${name}`,
        `host id "${id}" is not 1-32 lowercase letters, digits and single hyphens`,
        'Learn: storage-considerations#host-id-considerations',
      );
    byAccount.set(account, [...(byAccount.get(account) ?? []), id]);
  }
  for (const [account, ids] of byAccount) {
    if (new Set(ids).size !== ids.length)
      add(
        account,
        `apps share host ids ${JSON.stringify(ids)}`,
        'Learn: storage-considerations#host-id-considerations',
      );
  }

  // Names are within Azure's rules for their type (Learn: resource-name-rules).
  for (const [type, rule] of Object.entries(NAMED)) {
    for (const [n, r] of entries(json, type)) {
      if (literal(r['name'])) {
        const problem = check(r['name'], NAME_RULES[rule]!);
        if (problem)
          add(`${type}.${n}`, `name "${r['name']}" ${problem}`, 'Learn: resource-name-rules');
        if (r['name'].includes('tgtxxx'))
          add(`${type}.${n}`, 'name still holds the placeholder token', 'plan.naming');
      }
    }
  }

  // A storage account reached through private endpoints needs one per service the host uses (blob, queue, table).
  const endpoints = entries(json, 'azurerm_private_endpoint').map(
    ([, e]) => e['private_service_connection'] as Attrs,
  );
  for (const [n] of entries(json, 'azurerm_storage_account')) {
    const mine = endpoints
      .filter(
        (c) => c['private_connection_resource_id'] === ref('azurerm_storage_account', n, 'id'),
      )
      .flatMap((c) => c['subresource_names'] as string[]);
    if (mine.length > 0) {
      for (const s of ['blob', 'queue', 'table'])
        if (!mine.includes(s))
          add(
            `azurerm_storage_account.${n}`,
            `no private endpoint for ${s}`,
            'Learn: functions-networking-options, restrict storage to a VNet',
          );
    }
  }
  orderProblems(json, add);
  readBackProblems(json, add);
  dataSourceProblems(json as Parameters<typeof dataSourceProblems>[0], add);
  lineOfSightProblems(json, add);
  nsgProblems(json, add);
  freshSubscriptionProblems(json, add);
  return problems;
}
