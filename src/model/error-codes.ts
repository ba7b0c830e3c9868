import { CLIENT_RESOLUTIONS } from './codes/client-error-codes.js';

/**
 * Every error code Atakora raises, with the resolution it suggests. Each is documented in
 * `docs/troubleshooting.md` (a test checks that every code here has a section there). The resolution is
 * what {@link AtakoraError} uses when the thrower gives none.
 *
 * @example
 * ```ts
 * ErrorCodes.BACKEND_EMPTY; // 'Add at least one component: defineBackend({ api: CrudApi.define(...) }) or builder.addComponent(...).'
 * ```
 */
export const ErrorCodes = {
  CONFIG_NOT_OBJECT:
    'Pass an object: defineBackend({ ...components }, { environment, location, ... }).',
  CONFIG_INVALID:
    'Fix the value at the reported path; see the BackendConfig type for the accepted shapes.',
  MONITORING_RETENTION_INVALID:
    'Set monitoring.retentionDays to one of 30, 60, 90, 120, 180, 270, 365, 550 or 730 (what Application ' +
    'Insights accepts).',
  CONFIG_UNKNOWN_KEY:
    'Remove the key or check its spelling; see the BackendConfig type for the accepted keys.',
  BACKEND_EMPTY:
    'Add at least one component: defineBackend({ api: CrudApi.define(...) }) or builder.addComponent(...).',
  COMPONENT_INVALID:
    'Pass a definition made by CrudApi.define, FunctionsApp.define, defineComponent, or the { componentId, ' +
    'componentType, config, factory } shape.',
  DUPLICATE_COMPONENT_KEY: 'Use a different key for each component in one backend.',
  DUPLICATE_COMPONENT_ID:
    'Give each component an id of its own, not one that differs from another only in case or punctuation: ' +
    'the id names its settings, identity and role assignments.',
  CRUD_ENTITY_NAME_MISSING:
    "Set entityName, e.g. CrudApi.define('UserApi', { entityName: 'User', schema: { ... } }).",
  CRUD_SCHEMA_INVALID:
    'Give the schema at least one field; each field is a type name or { type, required }.',
  CRUD_FIELD_TYPE_UNKNOWN:
    'Use one of: string, number, integer, boolean, object, array, timestamp, date.',
  CRUD_ID_FIELD_INVALID:
    "Declare id as 'string' or { type: 'string', maxLength: n } with n from 1 to 255 (no enum, no default), or " +
    'leave id out of the schema.',
  CRUD_ID_MAX_LENGTH_BELOW_GENERATED:
    'Give id a maxLength of at least 36: a create without an id gets a generated one of 36 characters (a UUID), ' +
    'which a shorter maxLength would refuse.',
  SCHEMA_MIGRATION_REQUIRED:
    "Raise the CrudApi's schemaVersion with a migration for each step (items stored under the old schema are " +
    'rewritten on read and by atakora migrate), or make the change compatible: give the field a default, keep ' +
    'its type, keep the removed field optional.',
  ACCESS_CHANGED:
    'Review the cells listed (widenings first): if the new access is meant, run atakora verify <entry> --update ' +
    'and commit atakora.access.json with the change; otherwise change the access rules back.',
  ACCESS_DIVERGED:
    'The runtime answered a request otherwise than its cell of the access matrix: the request and the answer are ' +
    'listed. Report it with the backend (a runtime fault), or, for a hand-edited matrix, derive it again.',
  SCHEMA_VERSION_ROLLBACK:
    'Deploy a schemaVersion at least the deployed one (roll forward: revert the code change but keep the ' +
    'version and its migrations), or pass --allow-schema-change: items written at the newer version are then ' +
    'served as stored and refuse writes (409 schema-version-ahead) until that version is deployed again.',
  CRUD_SEED_INVALID:
    'Give seed as a .json path (or { [environment]: path }) to a file holding a JSON array of objects, each a ' +
    'valid item of the schema (the message names the file, the index and the field).',
  SEED_PRODUCTION_REFUSED:
    'Seed a non-production environment, or pass --allow-production if you mean to write these items into ' +
    'prod (or an environment with preventDestroy on).',
  SEED_REQUEST_FAILED:
    "Check the deployer's sign-in and its Cosmos DB data role on the account (Cosmos DB Built-in Data " +
    'Contributor), that the environment is deployed, and the status Cosmos DB answered.',
  SEED_DEV_NOT_RUNNING:
    'Start atakora dev <entry> in this folder (in another terminal) and run atakora seed <entry> --local while ' +
    'it runs, or seed a deployed environment with --environment <name> --tenant <tid>.',
  CRUD_MIGRATION_INVALID:
    "Give schemaVersion as a positive integer and migrations as { 2: './migrations/x-v2.ts', … }: one module " +
    'path for every step 2…schemaVersion, none beyond it.',
  CRUD_FIELD_DEFAULT_INVALID:
    "Give the field a default of its own type (a string field's default a string within maxLength, a date " +
    "field's a YYYY-MM-DD date), or remove default.",
  CRUD_FIELD_ENUM_INVALID:
    "Give enum on a string field as a non-empty list of distinct strings, e.g. { type: 'string', enum: ['todo', " +
    "'doing', 'done'] } (each within maxLength), and a default from that list.",
  NETWORK_RANGE_INVALID:
    'Write allowedIpRanges as public IPv4 addresses or CIDR blocks from their first address, e.g. ' +
    "['203.0.113.0/24', '198.51.100.7'], or leave it out.",
  MIGRATE_COMPONENT_UNKNOWN:
    'Name a CrudApi whose schemaVersion is above 1 with --component (the message lists them), or leave ' +
    '--component out to migrate every one.',
  MIGRATE_DEV_NOT_RUNNING:
    'Start atakora dev <entry> in this folder (in another terminal) and run atakora migrate <entry> --local ' +
    'while it runs, or migrate a deployed environment with --environment <name>.',
  MIGRATE_DEV_STATE_INVALID:
    'Stop atakora dev, delete the file the message names and start dev again: it writes the file anew.',
  MIGRATE_MODULE_INVALID:
    "Give the migration module a default export (item, { tenant }) => item, or name its export: './x.ts#toV2'.",
  MIGRATE_DATA_ACCESS_DENIED:
    "Grant the identity you run migrate with the Cosmos DB data-plane role 'Cosmos DB Built-in Data " +
    "Contributor' on the account: az cosmosdb sql role assignment create --account-name <account> " +
    '--resource-group <rg> --role-definition-id 00000000-0000-0000-0000-000000000002 --principal-id <your ' +
    "object id> --scope '/'.",
  MIGRATE_CONTAINER_NOT_FOUND:
    'Deploy the environment first (atakora deploy), or for --local wait until atakora dev is ready; check ' +
    '--environment and --resource-group name the deployed one.',
  CRUD_PARTITION_KEY_INVALID:
    "Write the partition key as a path with a leading slash, e.g. '/id' or '/tenantId'.",
  CRUD_OPERATIONS_INVALID: 'Use operations from: create, read, update, delete, list.',
  CRUD_THROUGHPUT_INVALID:
    'Throughput is a multiple of 100 RU/s, at least 400; serverless accounts take none.',
  CRUD_SORTABLE_INVALID:
    'List schema fields (string, number, integer, boolean, timestamp, date) in sortable: a field, or a ' +
    "composite sort of 2 to 8 fields such as ['category', 'price desc'].",
  CRUD_RELATION_INVALID:
    "Write each relation as { belongsTo: 'CrudApiId', field } | { hasMany: 'CrudApiId', field, onDelete? } | " +
    "{ file: 'FileStoreId', field }, the field a string field of the schema (docs/relations.md).",
  RELATION_TARGET_INVALID:
    'Name a CrudApi (belongsTo, hasMany) or a FileStore (file) of the same backend, by its component id, whose ' +
    'field exists as a string field.',
  RELATION_TENANCY_MISMATCH:
    'Keep related entities in one tenancy: a shared entity may not point at (or cascade into) per-tenant data, ' +
    'and per-tenant data may not cascade into a shared entity.',
  RELATION_PARENT_IDENTITY:
    "Key a hasMany parent by '/id' or '/tenantId', so its id names one item per tenant.",
  RELATION_CASCADE_CYCLE:
    "Break the cycle: make one hasMany of it onDelete: 'restrict' (the default).",
  PARTITION_KEY_CONFLICT:
    'Two components use the same container with a different partition key: give one a different entityName ' +
    'or databaseName.',
  MERGE_CONFLICT:
    'Give the components different priorities (the higher wins) or make the values agree.',
  FUNCTION_NAME_COLLISION:
    'Rename one of the functions (or one of the components): a hosted function is named ' +
    '<componentId>-<function> in its Function App.',
  APP_SETTING_COLLISION:
    "Rename the setting, or the component whose prefix plus setting gives another component's name (Api's " +
    "X_MODE and ApiX's MODE are both API_X_MODE).",
  NO_PROVIDER:
    'Register a provider for this resource type in config.providers (custom providers are added to the built-ins).',
  PROVIDER_VALIDATION_FAILED:
    'Change the components so the merged requirement satisfies the provider.',
  NAME_INVALID:
    'Choose a shorter backendId/environment or a naming.formatResourceName that yields a valid Azure name.',
  NAME_COLLISION:
    'Two resources would get the same Azure name: adjust naming.formatResourceName to keep the suffix.',
  SECRET_IN_CONFIG:
    'Do not put keys or connection strings in config: use managed identity (the default) or a Key Vault ' +
    'reference (@Microsoft.KeyVault(...)).',
  PROVIDER_DEPLOYS_UNDECLARED:
    'Implement plannedDeploys(requirement, logicalPrefix) on the provider so the plan lists what ' +
    'provideResource creates.',
  LIMIT_EXCEEDED:
    'Raise the limit in config.limits, split the components across backends, or request an Azure quota increase.',
  PLAN_HAS_ERRORS:
    'Fix the errors listed in plan.issues (backend.validate() shows them) before apply.',
  DUPLICATE_BACKEND_IN_STACK: 'Give each backend in one stack its own backendId.',
  HANDLE_AMBIGUOUS:
    'The backend is applied to several stacks with different names or hosts: read ' +
    'backend.in(stack).components.x, or the components of the AppliedBackend apply(stack) returned.',
  BACKEND_NOT_APPLIED:
    'Apply the backend to that stack first (backend.apply(stack) or addToStack), then read backend.in(stack).',
  STACK_INVALID:
    'Pass a ResourceGroupStack (from @atakora/component/cdk) or a TerraformStack with an azurerm provider.',
  RUNTIME_ASSET_MISSING:
    'Build the package (npm run build) so dist/runtime-package holds the prebuilt CRUD runtime zip that apply deploys.',
  CALLER_ANONYMOUS:
    "callerOf(request) found no signed-in caller: only an access: [{ allow: 'anonymous' }] function (or " +
    "auth: 'none') runs without one. Call it with a bearer token, or check for a caller first in the " +
    'handler; the runtime answers 401.',
  FUNCTION_ACCESS_INVALID:
    "Give an HTTP function access rules { allow: 'authenticated' }, { allow: 'role', role: 'OrderAdmin' } or " +
    "{ allow: 'anonymous' } (HTTP functions only; an 'owner' rule needs items, which only a CrudApi has).",
  RUNTIME_CONFIG_INVALID:
    'The Function App settings do not hold a valid ATAKORA_MANIFEST: redeploy with apply().',
  FUNCTIONS_RUNTIME_INVALID:
    "Use runtime 'node', 'python', 'dotnet-isolated', 'java' or 'powershell' with a version like '22' or " +
    "'3.12'; sku one of Y1, FC1, B1-B3, S1-S3, EP1-EP3, P0v3-P3v3.",
  FUNCTIONS_EMPTY:
    "Declare at least one function: functions: { 'process-order': { trigger: 'queue', queueName: 'orders', " +
    "handler: './src/functions/process-order.ts' } }.",
  FUNCTIONS_NAME_INVALID:
    'Name functions with a letter first, then letters, digits, "-" or "_" (at most 128 characters).',
  FUNCTIONS_SKU_UNSUPPORTED:
    "Use sku 'FC1' (Flex Consumption, the default) or an Elastic Premium / Dedicated plan ('EP1', 'P0v3'); " +
    "Linux Consumption ('Y1') is retiring (30 September 2028, no new language versions) and has no VNet " +
    'integration.',
  FUNCTIONS_TRIGGER_INVALID:
    "Use trigger 'http' (route, methods), 'queue' (queueName) or 'timer' (schedule); each option belongs to " +
    'its trigger only.',
  FUNCTIONS_QUEUE_INVALID:
    'Give a queue trigger a queueName (and each entry of queues) of 3-63 lowercase letters, digits and ' +
    "single hyphens, e.g. 'orders'.",
  CRUD_ON_CHANGE_INVALID:
    "Write onChange as a module path relative to the working directory, './src/on-change.ts' (default " +
    "export) or './src/on-change.ts#name' (named export).",
  FUNCTIONS_HANDLER_INVALID:
    "Write handler as a module path relative to the working directory, './src/functions/x.ts' (default " +
    "export) or './src/functions/x.ts#name' (named export), on Node apps only; codePath is a folder and " +
    'excludes handlers.',
  FUNCTIONS_HANDLER_MISSING:
    "Give every function of a Node FunctionsApp a handler: { trigger: 'queue', queueName: 'orders', handler: " +
    "'./src/functions/process-order.ts' }.",
  FUNCTIONS_HANDLER_NOT_FOUND:
    'Check the handler path: it is resolved against the working directory of the process that runs apply (or ' +
    'atakora synth/dev).',
  FUNCTIONS_HANDLER_EXPORT_MISSING:
    'Export the handler function from the module: `export default async function (...)`, or name the export ' +
    "after '#': './x.ts#processOrder'.",
  FUNCTIONS_CODE_PATH_INVALID:
    'Point codePath at a folder holding the prebuilt app (its own host.json at the top), relative to the ' +
    'working directory.',
  PACKAGE_BUNDLE_FAILED:
    'Fix the build error esbuild reports in the handler modules (or their imports); apply bundles them with ' +
    'the CRUD runtime.',
  PACKAGE_BUNDLER_MISSING:
    'Install esbuild next to @atakora/component (npm install --save-dev esbuild): apply bundles Node handlers with it.',
  DEV_SERVER_MISSING:
    'Install the local Cosmos DB protocol server for atakora dev: npm install --save-dev @vercel/cosmosdb-server.',
  FUNCTIONS_SCHEDULE_INVALID:
    "Give a timer trigger a 6-field NCRONTAB schedule '{second} {minute} {hour} {day} {month} " +
    "{day-of-week}', e.g. '0 0 * * * *' (hourly).",
  STATIC_SITE_INVALID:
    "Check the static site config: sku 'Free' or 'Standard', documents as relative file names, customDomain " +
    "a DNS name (e.g. 'app.example.com') inside dnsZoneName.",
  CDN_INVALID:
    'Check the CDN config: cacheMaxAge whole seconds (0-31536000), cors.allowedOrigins "*" or https origins.',
  COSMOS_EXISTING_NAME_MISSING:
    "With cosmosConfig.useExisting, set cosmosConfig.accountName to the existing account's name (and " +
    'resourceGroupName when it lives in another resource group).',
  CRUD_SEARCH_INVALID:
    "Write search as { text?: ['stringField'], language?: 'en-US' (or, in preview, 'de-DE' | 'es-ES' | 'fr-FR' | " +
    "'it-IT' | 'pt-PT' | 'pt-BR'), vector?: { path: 'arrayField', dimensions, distance?, index?, embed?: { from: " +
    "['stringField'], deployment } } } (docs/search.md).",
  CRUD_SEARCH_DIMENSIONS:
    "Keep search.vector.dimensions within the index type's limit: flat up to 505, quantizedFlat and diskANN up " +
    'to 4,096.',
  CRUD_SEARCH_EMBED_MODEL:
    'Name an embedding model the plan deploys (text-embedding-3-small, the default, up to 1,536 dimensions; ' +
    'text-embedding-3-large up to 3,072; text-embedding-ada-002 exactly 1,536) and keep search.vector.dimensions ' +
    'within what it returns.',
  OPENAI_DEPLOYMENT_CONFLICT:
    'Give each embed.deployment name one model across the backend, or use a second deployment name for the other ' +
    'model (one Azure OpenAI deployment serves one model).',
  COSMOS_SEARCH_CONFLICT:
    'Give every CrudApi on one container the same search declaration (Cosmos DB takes one full-text policy and ' +
    'one vector embedding policy per container), or give them separate containers.',
  COSMOS_VECTOR_SHARED_THROUGHPUT:
    'Give the vector search container its own throughput (throughput on the CrudApi) or put it in a database ' +
    'without shared throughput; serverless accounts have none.',
  SEARCH_CONTAINER_DEPLOY_FAILED:
    'Read the Resource Manager message; check the deployer may write Microsoft.DocumentDB/databaseAccounts/' +
    'sqlDatabases/containers and sqlRoleAssignments (Contributor on the resource group), then run atakora deploy ' +
    'again (the step reads first and repeats nothing made).',
  SEARCH_CONTAINER_IMMUTABLE:
    "Cosmos DB cannot change a container's partition key or vector embedding policy in place: create a new " +
    'container (another containerName), copy the items into it, then switch (docs/search.md).',
  COSMOS_SERVERLESS_MULTI_REGION:
    'Serverless Cosmos DB accounts are single-region: drop enableServerless from the component, or the other ' +
    'regions from cosmosConfig.failoverPolicies.',
  COSMOS_FAILOVER_INVALID:
    'List each region once in cosmosConfig.failoverPolicies with priorities 0..n-1 (0 = write region; the ' +
    'backend location gets 0 when not listed).',
  KEYVAULT_INVALID:
    "Give a keyvault requirement sku 'standard' or 'premium', access 'read' or 'readwrite', and secrets as a " +
    'list of secret names.',
  KEYVAULT_RETENTION_INVALID:
    'Set softDeleteRetentionDays to a whole number of days from 7 to 90 (or leave it out for 90).',
  KEYVAULT_SECRET_NAME_INVALID:
    "Name secrets with 1-127 letters, digits and hyphens, e.g. 'stripe-key' (no underscores, dots or spaces).",
  TERRAFORM_NOT_FOUND:
    'Install Terraform (https://developer.hashicorp.com/terraform/install) or OpenTofu ' +
    '(https://opentofu.org/docs/intro/install/) and put it on PATH, or name the binary with --terraform ' +
    '<path> or ATAKORA_TERRAFORM.',
  TERRAFORM_FAILED:
    'Fix the error Terraform printed (above, under the stack name), then run the command again.',
  DEPLOY_DATA_LOSS:
    'Pass --allow-data-loss to go ahead (the data in the listed resources is lost), or change the code so ' +
    'Terraform keeps them.',
  DEPLOY_NOT_CONFIRMED: 'Run in a terminal and answer y, or pass --auto-approve (CI).',
  DEPLOY_UNHEALTHY:
    "Check the app's logs; raise --verify-timeout for a slow first start, or skip the check with --no-verify.",
  WHEN_CONDITION_INVALID:
    'Pass true or false to when(): read flags files with parseFlags(json, { users: false, ... }), which ' +
    'checks every value is a boolean.',
  FLAGS_INVALID:
    'Make the flags file a JSON object whose keys are the flags parseFlags was given and whose values are ' +
    'true or false (not "false" or 0).',
  COMPONENT_ID_INVALID:
    "Give the component an id that starts with a letter and holds letters, digits, '_' or '-', e.g. " +
    "CrudApi.define('UserApi', { ... }).",
  CRUD_ENTITY_NAME_INVALID:
    "Write entityName as letters and digits, starting with a letter, e.g. 'User' or 'OrderLine' (it names " +
    'the container and the routes).',
  SUBSCRIPTION_ID_INVALID:
    'Set the subscription id (ResourceGroupStack subscriptionId, the azurerm provider subscription_id, or ' +
    'ARM_SUBSCRIPTION_ID) to the GUID `az account show --query id -o tsv` prints.',
  ENTRY_SYNTAX_ERROR:
    'Fix the syntax error at the reported file, line and column, then run the command again.',
  DEV_PORT_IN_USE:
    'Stop whatever listens on that port, or pick another one: atakora dev <entry> --port 7080.',
  DEV_USER_TENANT_NOT_ALLOWED:
    'Sign in as a user of a tenant auth.allowedTenants lists: atakora dev <entry> --user <you>@<admitted tenant>.',
  // Access rules and who may sign in.
  CRUD_ACCESS_INVALID:
    "Write access as a non-empty list of rules: { allow: 'owner' }, { allow: 'role', role: 'NoteAdmin' } or " +
    "{ allow: 'authenticated' }, each optionally with operations: ['read', 'list'].",
  AUTH_SIGN_IN_AUDIENCE_INVALID:
    "Set auth.signInAudience to 'AzureADMyOrg' (default, your directory only) or 'AzureADMultipleOrgs', and " +
    "with the latter auth.allowedTenants to a list of tenant ids (GUIDs) or 'any'; for customers write " +
    "signInAudience: 'customers' with externalTenant: { id, subdomain } (docs/sign-in.md#customers).",
  // `atakora auth setup`: a customer sign-in's user flow, identity providers and app links through Microsoft Graph.
  AUTH_SETUP_NOT_CUSTOMERS:
    "Write auth: { signInAudience: 'customers', externalTenant: { id, subdomain } } for a customer sign-in; a " +
    'workforce sign-in needs no auth setup.',
  AUTH_SETUP_PERMISSION_MISSING:
    'Sign in to the external tenant (az login --tenant <id> --allow-no-subscriptions) with the Entra role the ' +
    'message names, or grant the service principal the Graph permission it names there; then run auth setup again.',
  AUTH_SETUP_FAILED:
    "Read Graph's status and message in the error, fix what it names in the external tenant, then run atakora " +
    'auth setup again: what was already done is found and kept.',
  AUTH_SETUP_SECRET_MISSING:
    "Set the social provider's secret in the environment: atakora secret set <entry> GOOGLE_CLIENT_SECRET " +
    '(or FACEBOOK_APP_SECRET) --environment <env>, the value on stdin; then run atakora auth setup again.',
  AUTH_SETUP_CLIENT_ID_MISSING:
    "Write { type: 'google', clientId: '<client id>' } in auth.identityProviders, or set GOOGLE_CLIENT_ID / " +
    "FACEBOOK_APP_ID to the provider's client id (never its secret).",
  AUTH_SETUP_APP_NOT_FOUND:
    'Deploy the environment first (atakora deploy: it creates the registrations, then runs auth setup), or name ' +
    'your own registration in auth.clientId.',
  AUTH_SETUP_CONFLICT:
    'Rename, delete or unlink what the message names in the external tenant (Entra admin center), then run ' +
    'atakora auth setup again.',
  AUTH_ROLE_UNDECLARED:
    'Add the app role to your own API registration (auth.clientId) with the same value, or leave ' +
    'auth.clientId out so the stack creates the registration and declares the role.',
  // A role and the API scope with one value (azuread refuses the registration).
  AUTH_ROLE_SCOPE_COLLISION:
    "Rename the role in the access rules, or set auth.scope to a name no role uses: an app registration's " +
    'roles and scope need distinct values.',
  // Sites: content, configuration, upload.
  SITE_SOURCE_INVALID:
    "Point sourceDirectory (relative to the working directory) at a folder holding the site's index.html, or " +
    'set buildCommand to the command that builds it.',
  SITE_BUILD_FAILED:
    "Run the site's buildCommand yourself in the folder the message names and fix what it reports.",
  SITE_DEPLOY_TOOL_MISSING:
    'Install the Static Web Apps CLI (npm install --save-dev --ignore-scripts @azure/static-web-apps-cli: ' +
    'its keychain module is never used by a deploy and needs libsecret to build) or name it: atakora deploy ' +
    '<entry> --swa <path>.',
  SITE_DEPLOY_TOKEN_MISSING:
    'Give the deploying identity a role that may read the Static Web App secrets (Contributor on the ' +
    'resource group) and sign in with it (ARM_* variables, OIDC or az login).',
  SITE_UPLOAD_FAILED:
    "Read the uploader's output in the message; run atakora deploy again once fixed (nothing to apply, it " +
    'uploads and verifies).',
  SITE_UNREACHABLE:
    "Check the site's URL in a browser; give it longer with --verify-timeout, or skip the check with --no-verify.",
  // atakora dev --data-dir.
  DEV_DATA_INVALID:
    'Remove or rename the file in --data-dir (atakora dev writes it again on stop), or point --data-dir at ' +
    'another folder.',
  // The last mile: a fresh subscription, the preflight, silent breaks.
  DEPLOY_PREFLIGHT_FAILED:
    'Do what the message says (sign in, set ARM_SUBSCRIPTION_ID, grant the role, register the provider), ' +
    'then run deploy again; docs/deploying.md#prerequisites lists everything a fresh subscription needs.',
  SUBNET_DELEGATION_MISMATCH:
    'Delegate the integration subnet to what the hosting plan joins: Microsoft.App/environments for Flex ' +
    'Consumption (the default), Microsoft.Web/serverFarms for Premium/Dedicated.',
  TIME_PROVIDER_MISSING:
    'Install the prebuilt time provider bindings the message names (version 11) next to @atakora/component: ' +
    'a Cosmos DB data role for a new identity waits for the principal with a time_sleep.',
  // The API contract (OpenAPI document, typed client).
  FUNCTIONS_SCHEMA_INVALID:
    "Give an HTTP function's requestSchema / responseSchema as a JSON Schema object of plain JSON data, e.g. " +
    "{ type: 'object', properties: { id: { type: 'string' } } }, or leave it out.",
  // The typed client's own (CLIENT_CONFIG_INVALID, CLIENT_INPUT_INVALID): codes/client-error-codes.ts.
  ...CLIENT_RESOLUTIONS,
  // Service Bus as a built-in type (resources/servicebus).
  SERVICEBUS_INVALID:
    "Give a servicebus requirement sku 'Basic', 'Standard' or 'Premium', queues and topics as lists of { " +
    "name, maxSize? } with names unique in the namespace, and access 'send', 'receive' or 'sendReceive'.",
  // Admitting the CI runner for a deploy; existing private DNS zones by id.
  ADMIT_ADDRESS_INVALID:
    "Give --admit-address (or ATAKORA_ADMIT_ADDRESS) a public IPv4 address such as 203.0.113.7, or 'auto' to " +
    "discover the runner's address; storage firewall IP rules take public IPv4 only.",
  ADMIT_ADDRESS_DISCOVERY_FAILED:
    'Check that the runner reaches the echo URL (ATAKORA_IP_ECHO_URL, default https://api.ipify.org) and ' +
    "that it answers the caller's public IPv4 address as plain text, or pass the address itself: " +
    '--admit-address 203.0.113.7.',
  ADMIT_ADDRESS_NOT_REMOVED:
    'Remove the address the message names: run the terraform apply -target command it prints in the stack ' +
    'directory (its cdk.tf.json is already without the address), or az storage account network-rule remove ' +
    'for each account it names.',
  PRIVATE_DNS_ZONE_ID_INVALID:
    "Give networking.privateDnsZoneIds as { '<zone name>': " +
    "'/subscriptions/<id>/resourceGroups/<group>/providers/Microsoft.Network/privateDnsZones/<zone name>' }, " +
    "the id's last segment equal to its key.",
  PRIVATE_DNS_ZONE_UNUSED:
    "List in networking.privateDnsZoneIds only the zones the plan's private endpoints use (the message names " +
    "them), with networking: { mode: 'isolated' } and private endpoints on.",
  // Secrets and environments: declared secrets, atakora secret, --environment, atakora sandbox.
  SECRET_NAME_INVALID:
    "Declare secrets by the environment variable name the code reads: upper case letters, digits and '_', " +
    "starting with a letter, e.g. secrets: ['STRIPE_KEY'].",
  SECRET_UNKNOWN:
    'Use a secret name the backend declares (FunctionsApp.define(id, { secrets: [...] })), or declare it ' +
    'there first and deploy.',
  SECRET_MISSING:
    'Set the value in that environment: atakora secret set <entry> <NAME> --environment <name> (the value on ' +
    'stdin), then run the command again.',
  SECRET_VALUE_EMPTY:
    'Give the value on stdin (printf %s "$VALUE" | atakora secret set <entry> <NAME>) or type it at the ' +
    'hidden prompt; a value is never an argument.',
  SECRET_VAULT_NOT_FOUND:
    'Deploy the environment first (atakora deploy <entry> --environment <name>): its Key Vault is created by ' +
    'the deploy, then set the secret.',
  SECRET_ACCESS_DENIED:
    "Grant the signed-in identity the 'Key Vault Secrets Officer' role on the vault (the message prints the " +
    'az role assignment create command), wait a minute for it to apply, then run the command again.',
  SECRET_REQUEST_FAILED:
    'Read the status and message Key Vault answered (in the error); check the network path to the vault (an ' +
    "isolated backend's vault is reachable only inside its VNet) and run the command again.",
  DEV_SECRETS_INVALID:
    'Write .atakora/secrets.json as a JSON object of names to string values, { "STRIPE_KEY": "sk_test_…" }, ' +
    'or set the environment variable of that name instead.',
  DEV_EXTRA_CA_CERTS_UNREADABLE:
    'Point NODE_EXTRA_CA_CERTS at a readable file of PEM certificates (-----BEGIN CERTIFICATE----- blocks), or ' +
    'unset it; atakora dev still starts, its handlers trusting the system roots and its own certificate.',
  SECRET_REFERENCE_UNRESOLVED:
    "Read the status the message names: AccessToKeyVaultDenied right after a first deploy is the app's vault " +
    'role still propagating (wait, then atakora secret set again or refresh the references); SecretNotFound ' +
    'means set it; VaultNotFound or MSINotEnabled means deploy again.',
  LOGS_MONITORING_OFF:
    'Turn monitoring on (defineBackend(…, { monitoring: true }) or .withMonitoring({ … })) and deploy: the ' +
    "runtime's requests then go to the environment's Application Insights, where atakora logs and usage read them.",
  LOGS_SUBSCRIPTION_MISSING:
    'Set ARM_SUBSCRIPTION_ID to the subscription the environment is deployed in (the one atakora deploy used).',
  LOGS_SIGN_IN_FAILED:
    'Sign in as the deployer: az login (or ARM_CLIENT_ID / ARM_TENANT_ID / ARM_CLIENT_SECRET, or ARM_USE_OIDC in ' +
    'a pipeline), then run the command again.',
  LOGS_ACCESS_DENIED:
    "Ask for the 'Log Analytics Reader' role (or Reader) on the environment's workspace (the message prints the " +
    'az role assignment create command), wait a few minutes for it to apply, then run the command again.',
  LOGS_WORKSPACE_NOT_FOUND:
    'Deploy the environment with monitoring on first, or name where it is deployed: --resource-group <name> and ' +
    'ARM_SUBSCRIPTION_ID.',
  LOGS_QUERY_FAILED:
    'Read the status the Log Analytics query API answered (in the error) and run the command again; check the ' +
    'network path to it (ATAKORA_LOGS_ENDPOINT replaces its address).',
  // atakora usage on the usage ledger (docs/tenants.md "Usage and costs").
  USAGE_DEV_NOT_RUNNING:
    'Start `atakora dev <entry>` in this folder (another terminal), or drop --local and name --environment.',
  USAGE_NO_LEDGER:
    "Only a backend with a tenant registry has a usage ledger: set auth.allowedTenants: 'registry' with tenants: " +
    "{ plans, defaultPlan }, or read a deployed environment's telemetry with --environment <name>.",
  USAGE_LEDGER_UNREADABLE:
    'Sign in as the deployer and hold a Cosmos DB data role on the account (Cosmos DB Built-in Data Reader), and ' +
    'deploy once after turning the registry on (the usage container comes with it); then run the command again.',
  // Usage to Stripe meter events (docs/billing.md).
  BILLING_CONFIG_INVALID:
    "Fix tenants.billing at the reported path: stripe: { secret: 'STRIPE_KEY', meters: { requests: '<event name>' } } " +
    '(the secret a name, never the key; each meter the event name of a Stripe meter, each name once), or ' +
    "marketplace: { offer, publisherTenantId, clientId, secret: 'MARKETPLACE_SECRET', plans } as Partner Center names " +
    'them (docs/billing.md).',
  BILLING_CUSTOMER_INVALID:
    "Pass a Stripe customer id as Stripe shows it (cus_ followed by letters and digits), or '' to remove it.",
  BILLING_NOT_CONFIGURED:
    "Add tenants.billing: { stripe: { secret: 'STRIPE_KEY', meters: { … } } } to the backend's config, then deploy " +
    '(or restart atakora dev).',
  BILLING_KEY_MISSING:
    'Set the Stripe key where the export reads it: the environment variable the config names (STRIPE_KEY) for the ' +
    'CLI and atakora dev, atakora secret set <entry> STRIPE_KEY for Azure.',
  BILLING_STRIPE_UNAVAILABLE:
    'Install the official SDK beside the package (npm install stripe), check the network path to Stripe ' +
    '(STRIPE_API_BASE replaces its address) and that the key is valid; then run the command again.',
  // Sold on Azure Marketplace (docs/billing.md, "Azure Marketplace").
  MARKETPLACE_SECRET_MISSING:
    "Set the fulfillment app's client secret where the CLI reads it: the environment variable the config names " +
    '(tenants.billing.marketplace.secret, e.g. MARKETPLACE_SECRET), or with --local .atakora/secrets.json.',
  MARKETPLACE_UNAVAILABLE:
    'Check the network path to Azure Marketplace and the publisher tenant (ATAKORA_MARKETPLACE_API replaces both) and ' +
    "that the fulfillment app's secret is valid and the app is the one Partner Center names; then run it again.",
  BILLING_KEY_PERMISSION_MISSING:
    'Edit the restricted key in Stripe (Developers → API keys) and grant each permission named (docs/billing.md, ' +
    '"The key\'s permissions", lists what each feature needs), or use a key that has them; then run the command again.',
  BILLING_CHECK_MISMATCH:
    'Read the hours listed: a hour the ledger changed after it was sent needs a correction event (docs/billing.md, ' +
    '"Corrections"); a hour Stripe holds less of is still pending (run atakora usage export) or was refused.',
  REDEPLOY_TARGET_MISMATCH:
    'The app does not read the package where this build would put it (another deploy moved it): run a full ' +
    'deploy (save the entry, or atakora sandbox <entry> again), then code-only saves redeploy again.',
  REDEPLOY_NOT_VERIFIED:
    'The upload, the One Deploy publish or the restart did not take (the message says which check failed): run a full deploy ' +
    '(atakora sandbox <entry> again) so Terraform puts the package in place.',
  SANDBOX_USER_UNKNOWN:
    'Install the Azure CLI and sign in (az login): atakora sandbox names your environment after the signed-in user.',
  ENVIRONMENT_NAME_INVALID:
    "Name the environment with lower case letters, digits and '-', starting with a letter or digit (at most " +
    '24 characters), e.g. --environment pr-7.',
  // Plan review: a saved plan given as a base, and the budget gate.
  PLAN_FILE_INVALID:
    'Pass a plan saved by atakora plan <entry> --json > before.json (a ResourcePlan of version 1, or an ' +
    'array of them): check the path and that the file is that JSON, unedited.',
  BUDGET_INVALID:
    'Give budgets as US dollars a month, 0 or more (--max-monthly-usd 250), and a cost-increase budget ' +
    'together with a base plan (--base before.json, or atakora diff).',
  // Isolation, the package update and file-system errors of the CLI.
  NETWORK_ENDPOINTS_REQUIRED:
    'Leave networking.privateEndpoints out (isolated mode needs its private endpoints: it turns public ' +
    "access off), or use networking: 'public'.",
  ENTRY_NOT_FOUND:
    'Pass the path of the module that exports your backend, relative to the working directory, e.g. atakora ' +
    'plan backend.ts.',
  FS_NOT_A_FOLDER:
    'Give a folder path that does not pass through a file (missing folders are created), or move the file in the way.',
  FS_IS_A_FOLDER: 'Name a file, not a folder.',
  FS_NOT_FOUND: 'Check the path: a relative path starts at the working directory.',
  FS_PERMISSION_DENIED:
    'Make the folder writable for the user that runs atakora, or choose another path (TMPDIR for the working folders).',
  FS_NO_SPACE: 'Free some space on the disk the message names, or choose a path on another disk.',
  FS_FAILED: 'Fix what the system reported for the path the message names, or choose another path.',
  FILESTORE_CONFIG_INVALID:
    "Fix the FileStore option at the reported path, e.g. FileStore.define('Attachments', { maxSizeMb: 10, " +
    "contentTypes: ['image/*'], access: [{ allow: 'owner' }] }).",
  QUEUE_UNDECLARED:
    'Declare the queue on a FunctionsApp of the same Function App (FunctionsApp.define(id, { …, queues: ' +
    "['emails'] }), or a queue trigger's queueName), or correct the name passed to queueClient.",
  // Limits Azure enforces at apply only: lease containers nobody creates.
  COSMOS_LEASE_CONTAINER_MISSING:
    "Create the change feed's lease container in the existing account (az cosmosdb sql container create … " +
    "--partition-key-path /id) and set cosmosConfig.leaseContainers: 'existing', or set it to 'create'.",
  QUEUE_MESSAGE_INVALID:
    'Send a string or a JSON value (object, array, number, boolean, null) of at most 48 KiB once ' +
    'JSON-encoded, with visibilityTimeoutSeconds a whole number from 0 to 604800 (7 days).',
  // Realtime (Web PubSub, docs/realtime.md).
  REALTIME_INVALID:
    "Give realtime a sku ('Free_F1', 'Standard_S1' or 'Premium_P1') and units (Free: 1; Standard and Premium: " +
    "1-10, 20, 30 … 100), e.g. realtime: { sku: 'Standard_S1', units: 2 }.",
  // The tenant registry and a tenant's data (docs/tenants.md).
  TENANTS_REGISTRY_INVALID:
    "Use auth: { signInAudience: 'AzureADMultipleOrgs', allowedTenants: 'registry' } together with tenants: " +
    '{ plans, defaultPlan }, or neither.',
  TENANTS_NO_PLANS: 'Declare at least one plan in tenants.plans, e.g. { free: {} }.',
  TENANTS_MEMBERSHIP_INVALID:
    "Write tenants: { by: 'membership', plans, defaultPlan, roles?, createTenants? } on a signed-in API (not " +
    "auth: 'none'), without allowedTenants: 'registry' or signUp, and with roles other than Owner and TenantAdmin.",
  TENANTS_DEFAULT_PLAN_UNKNOWN: 'Set tenants.defaultPlan to the name of one of tenants.plans.',
  TENANTS_CONTAINER_RESERVED:
    "Give the CrudApi another containerName (or another databaseName than 'atakora'): the registry's containers " +
    "(tenants, usage, members, audit) are the runtime's own, never served as a CrudApi's routes.",
  TENANTS_CRUDAPI_MISSING:
    'Declare a CrudApi on the backend (its Cosmos DB account holds the tenant registry, and its Function App serves ' +
    "api/tenants and api/me/tenants), or drop tenants.by and allowedTenants: 'registry'; see docs/tenants.md.",
  TENANTS_REGISTRY_EXISTING_ACCOUNT:
    'Let the backend create its Cosmos DB account (drop cosmosConfig.useExisting): the tenant registry lives in the ' +
    "account the backend creates, granted to its CrudApis; or drop tenants.by and allowedTenants: 'registry'. See " +
    'docs/tenants.md.',
  TENANTS_REGISTRY_OTHER_ACCOUNT:
    "Let the CrudApi share the backend's default Cosmos DB account, where the tenant registry lives (drop its " +
    "consistency, throughput, enableServerless, or the allowedIpRanges disjoint from the other CrudApis'), or drop " +
    "tenants.by and allowedTenants: 'registry'. See docs/tenants.md.",
  PLAN_FEATURES_INVALID:
    "Write features as a list of names, each once: the built-in 'domains', 'directory', 'scim', 'audit', " +
    "'search', 'mcp', 'realtime', 'exports', 'api-keys', 'webhooks', or one of your own (lower case, ^[a-z][a-z0-9-]{0,39}$); see " +
    'docs/packaging.md.',
  ACCESS_FEATURE_UNKNOWN:
    "Name a feature one of tenants.plans lists in the rule's feature (or add it to the plans that include it), " +
    'or remove feature from the rule; see docs/packaging.md.',
  PLAN_ITEMS_INVALID:
    'Name in tenants.plans.<plan>.items a tenant-scoped CrudApi of the backend by its component id (not ' +
    "tenancy: 'shared'), with a whole number of items of at least 1.",
  TENANTS_EMAIL_INVALID:
    "Write tenants.email on tenants by membership only: domain 'azure-managed' or a domain name, from an e-mail " +
    'local part (default DoNotReply), senderName with a from of its own, invitationsPerDay from 1 to 10,000.',
  TENANTS_API_KEYS_INVALID:
    'Write tenants.apiKeys: { perOrganization?: 1-100, roles?: roles of tenants.roles (never Owner), maxDays?: ' +
    "1-3650 } with by: 'membership'; see docs/integrations.md.",
  TENANTS_SCIM_APP_INVALID:
    "Write tenants.scimApp: true only with by: 'membership' and a plan whose features include 'scim' (or plans " +
    'declaring no features); see docs/enterprise.md, "The SCIM app".',
  EMAIL_DOMAIN_LINK_FAILED:
    'Read the Resource Manager message: the deployer needs Contributor on the resource group (Microsoft.Communication ' +
    'emailServices/domains read and initiateVerification, communicationServices write); then run atakora deploy ' +
    'again (the step reads first and repeats nothing done).',
  TENANT_EXPORT_INVALID:
    'Point --from at a folder `atakora tenant export` wrote (manifest.json, items/<ComponentId>.ndjson), ' +
    'unchanged since: every file is checked against its SHA-256 in the manifest.',
  TENANT_COMMAND_REFUSED:
    'Add --yes to erase the tenant (and --allow-production for prod or an environment with preventDestroy on), ' +
    'after an export: atakora tenant export <entry> <tid> --out DIR.',
  TENANT_RECORD_CHANGED:
    'Run the command again: it reads the record anew and applies its change to what the runtime wrote meanwhile ' +
    '(nothing of it was written).',
  TENANT_REQUEST_FAILED:
    'Check that the environment is deployed and that you hold a Cosmos DB data role on the account (Cosmos DB ' +
    'Built-in Data Contributor), then run the command again: each command is safe to repeat.',
  TENANT_DEV_NOT_RUNNING:
    'Start `atakora dev <entry>` in this folder (another terminal), or drop --local and name --environment.',
  TENANT_PLAN_UNKNOWN:
    'Pass --plan with one of the plans of tenants.plans in the backend config (the message lists them), or add the ' +
    'plan there and deploy.',
  TENANT_RESTORE_UNAVAILABLE:
    "Set backup: { mode: 'continuous7Days' } (or 'continuous30Days') in the backend config and deploy: point-in-time " +
    'restore needs continuous backup, and it covers times after the switch only.',
  TENANT_RESTORE_TIME_INVALID:
    'Pass --at as an ISO 8601 time with its zone inside the window the message names (continuous backup keeps 7 or ' +
    '30 days, and nothing before the account was created).',
  TENANT_RECORD_INVALID:
    'Give the tenant a record as `atakora tenant add` would write it: a declared plan (tenants.plans), status active ' +
    'or suspended, a display name without control characters, no other field. For an archive, correct `registry` in ' +
    'its manifest.json or remove it (then register the tenant with atakora tenant add).',
  TENANT_ALREADY_REGISTERED:
    'Change a registered tenant with `atakora tenant set <entry> <tid> --plan P --name N`; `tenant add` registers new ' +
    'tenants only (run again with the plan and name it has, it changes nothing).',
  TENANT_ERASED:
    'Choose another id: an erased organization leaves a tombstone and its id is never given again (its files, ledger, ' +
    'audit log and Stripe customer must not reach a later holder). `atakora tenant list` does not show tombstones.',
  TENANT_NOT_FOUND:
    "Check the tenant id (`atakora tenant list <entry>` shows the registered ones; its users' tid claim for a " +
    'directory): nothing of it is registered or stored in this environment, so nothing was exported.',
  TENANT_RESTORE_NETWORK:
    'Run the restore where the message says the temporary account can be reached: on an isolated backend from inside ' +
    "its VNet (the backend's private endpoint subnet and private DNS zone are named in the plan); on a public one pass " +
    '--operator-address <your public IPv4>. A firewall refusal of the data plane is a network matter, not a role ' +
    'still spreading: fix the route (VPN, DNS to the private endpoint) and run the same command again.',
  TENANT_RESTORE_FAILED:
    'Read the step and the status in the message, fix its cause (a Resource Manager role: Cosmos DB Operator and ' +
    'CosmosRestoreOperator), then run the same command again: it reuses the temporary account it names, and ' +
    'deletes it at the end.',
  // Handlers use the data as their caller (dataOf) and the MCP server (docs/functions.md, docs/mcp.md).
  FUNCTIONS_DATA_INVALID:
    "Give data as a list of CrudApi component ids, each once (data: ['OrderApi']), on a Node function with a " +
    'handler module (no codePath, runtime node).',
  FUNCTIONS_DATA_NOT_HTTP:
    'Move data to an HTTP function: dataOf(request) acts as the caller of a request. A queue or timer function ' +
    'has no caller; send it what it needs in its message, or let an HTTP function do the work as its caller.',
  FUNCTIONS_MCP_INVALID:
    "Write mcp: { description: '<what the tool does>' } (a non-empty string of at most 1024 characters) on a " +
    'Node HTTP function with a handler module.',
  FUNCTIONS_TENANT_EVENTS_INVALID:
    "Give a tenant-events function a Node handler and, if any, events from the list: 'tenant.created', " +
    "'tenant.deleted', 'tenant.undeleted', 'member.added', 'member.removed', 'member.roles-changed', " +
    "'invitation.created', 'invitation.accepted'.",
  TENANT_EVENTS_NEED_MEMBERSHIP:
    "Tenant events come from the organizations' audit log: give the backend tenants by membership " +
    "(tenants: { by: 'membership', … }), or remove the tenant-events function.",
  CRUD_AUDIT_INVALID:
    "Write audit: true to record the CrudApi's writes in the organization's audit log, or leave audit out.",
  CRUD_AUDIT_NEEDS_MEMBERSHIP:
    "A CrudApi's audit entries go to the organizations' audit log: give the backend tenants by membership " +
    "(tenants: { by: 'membership', … }), or remove audit: true.",
  FUNCTIONS_DATA_UNKNOWN:
    "Name CrudApis of this backend by their component id (CrudApi.define('OrderApi', …) is 'OrderApi'), or add the " +
    'CrudApi to the backend.',
  FUNCTIONS_DATA_APART:
    "Give the FunctionsApp the CrudApis' runtime and version (runtime: 'node', the default version) and no " +
    'codePath, so that it shares their Function App: dataOf runs the CrudApi routes in that process.',
  DATA_NO_CALLER:
    'Call dataOf(request) with the request an HTTP function was given, in a function that declares data: [...] ' +
    '(queue and timer functions have no caller; an anonymous function must be called signed in).',
  DATA_UNDECLARED:
    "Add the CrudApi's component id to the function's data: [...] (FunctionsApp.define), or use a key the " +
    'function declares.',
  MCP_TOOL_CONFLICT:
    'Rename the HTTP function (or the CrudApi entity) so that no two tools share a name: CrudApi tools are ' +
    '<entity>_list, _get, _count, _create, _update and _delete, a function tool is its name in snake_case.',
  TEST_CALLER_INVALID:
    "Name a caller of startBackend's as() the way atakora dev signs one in: { user: 'alice' } (letters, digits, " +
    '. _ -), with an optional directory of the same characters and app role values in roles, or an email user ' +
    "('alice@example.com', no directory) on a backend with tenants by membership, an organization id as tenant; " +
    "or 'anonymous'.",
  TEST_BACKEND_PATH_AMBIGUOUS:
    'The backend is served by more than one Function App: pass fetch a URL made from t.endpoints[key] ' +
    '(`${t.endpoints.orders}/api/orders/submit`), or use t.as(caller).client().',
  TEST_BACKEND_INVALID:
    'Pass the backend defineBackend returned (the default export of your entry): in an .mts test of a CommonJS ' +
    "project, import it as the CLI loads it (`import desk from './desk.js'` gives { default: backend }, which is " +
    'taken too), not a component, a builder (call .build()) or a plan.',
  TEST_BACKEND_STOPPED:
    'Make every request before stop() (await them first); start another startBackend for a later test.',
} as const;

/**
 * One of the codes of {@link ErrorCodes}: the type of `AtakoraError.code`, so handling code can switch over
 * codes and have the compiler catch a misspelt one.
 *
 * @example
 * ```ts
 * function explain(code: ErrorCode): string {
 *   return code === 'LIMIT_EXCEEDED' ? 'Too many resources for the configured limits.' : ErrorCodes[code];
 * }
 * ```
 */
export type ErrorCode = keyof typeof ErrorCodes;
