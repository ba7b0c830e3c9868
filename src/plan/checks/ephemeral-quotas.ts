import type { NormalizedConfig } from '../../model/config.js';
import type { PlanIssue, PlannedResource } from '../../model/plan.js';

/**
 * Free Static Web Apps per Azure subscription (Learn, "Quotas in Azure Static Web Apps": Free plan, apps per Azure
 * subscription 10; Standard 100; https://learn.microsoft.com/azure/static-web-apps/quotas).
 */
export const FREE_STATIC_WEB_APPS_PER_SUBSCRIPTION = 10;

/**
 * Directory objects a non-admin identity may create (Learn, "Microsoft Entra service limits and restrictions":
 * "A non-admin user can create no more than 250 Microsoft Entra resources. Both active resources and deleted
 * resources that are available to restore count toward this quota", deleted ones for 30 days;
 * https://learn.microsoft.com/entra/identity/users/directory-service-limits-restrictions).
 */
export const DIRECTORY_OBJECTS_PER_NON_ADMIN = 250;

/**
 * Free Web PubSub units per subscription and region (Learn, "Azure subscription and service limits, quotas, and
 * constraints", Azure Web PubSub limits: "Azure Web PubSub Service units per subscription per region for Free tier",
 * default and maximum 5; https://learn.microsoft.com/azure/azure-resource-manager/management/azure-subscription-service-limits#azure-web-pubsub-limits).
 * A Free instance has exactly one unit.
 */
export const FREE_WEB_PUBSUB_UNITS_PER_REGION = 5;

/** Days a soft-deleted directory object stays restorable, and counted (same Learn page). */
export const DELETED_DIRECTORY_OBJECT_DAYS = 30;

/** The Terraform types that each create one directory object (an app registration, its service principal). */
const DIRECTORY_OBJECT_TYPES = new Set(['azuread_application', 'azuread_service_principal']);

/**
 * Whether an environment is an ephemeral one: a pull request's preview (`pr-<number>`, docs/environments.md) or a
 * developer's sandbox (`sbx-<name>-<hash>`, cli/deploy/sandbox-name.ts). Many of them live at once, or come and go
 * within a month, so subscription- and directory-wide quotas bind them as a group.
 *
 * @example
 * ```ts
 * isEphemeralEnvironment('pr-7'); // true
 * isEphemeralEnvironment('sbx-adalovel-3k9qz'); // true
 * isEphemeralEnvironment('prod'); // false
 * ```
 */
export function isEphemeralEnvironment(environment: string): boolean {
  return /^(pr|sbx)-/i.test(environment);
}

/**
 * Plan notes (warnings) for an ephemeral environment about the quotas its copies share, which no single plan can
 * check because they count what other environments hold: Free Static Web Apps per subscription
 * (`EPHEMERAL_FREE_STATIC_SITES`), Free Web PubSub units per subscription and region
 * (`EPHEMERAL_FREE_WEB_PUBSUB`) and directory objects per non-admin creator, deleted ones included for 30 days
 * (`EPHEMERAL_DIRECTORY_OBJECTS`). Each says how many such environments fit.
 *
 * @example
 * ```ts
 * ephemeralQuotaNotes(plan.resources, normalizeConfig({ environment: 'pr-7' })).map((i) => i.code);
 * // ['EPHEMERAL_FREE_STATIC_SITES', 'EPHEMERAL_DIRECTORY_OBJECTS'] with a Free site and sign-in on
 * ```
 */
export function ephemeralQuotaNotes(
  resources: readonly PlannedResource[],
  config: NormalizedConfig,
): PlanIssue[] {
  const env = config.environment;
  if (!isEphemeralEnvironment(env)) return [];
  const freeSites = resources.filter((r) => r.type === 'staticsite' && r.config['sku'] === 'Free');
  const freeHubs = resources.filter((r) => r.type === 'webpubsub' && r.config['sku'] === 'Free_F1');
  const objects = resources.flatMap((r) =>
    r.deploys.filter((d) => DIRECTORY_OBJECT_TYPES.has(d.terraformType)),
  );
  return [
    ...quotaNote(freeSites.length, FREE_STATIC_WEB_APPS_PER_SUBSCRIPTION, (fit) => ({
      severity: 'warning',
      code: 'EPHEMERAL_FREE_STATIC_SITES',
      path: ['config', 'environment'],
      components: freeSites.flatMap((r) => r.consumers),
      message:
        `Environment ${env} is ephemeral and creates ${freeSites.length} Free Static Web App(s) ` +
        `(${freeSites.map((r) => r.name).join(', ')}): Azure allows ${FREE_STATIC_WEB_APPS_PER_SUBSCRIPTION} ` +
        `Free apps per subscription, so at most ${fit} such environment(s) can live at once (fewer when the ` +
        `subscription has other Free apps), and the next one fails at apply.`,
      resolution:
        "Destroy previews when their pull request closes (atakora destroy), give the sites sku: 'Standard' for " +
        'previews (100 apps per subscription, priced in the plan), or deploy previews to a subscription of ' +
        'their own.',
    })),
    ...quotaNote(freeHubs.length, FREE_WEB_PUBSUB_UNITS_PER_REGION, (fit) => ({
      severity: 'warning',
      code: 'EPHEMERAL_FREE_WEB_PUBSUB',
      path: ['config', 'realtime', 'sku'],
      components: freeHubs.flatMap((r) => r.consumers),
      message:
        `Environment ${env} is ephemeral and creates a Free Web PubSub (${freeHubs.map((r) => r.name).join(', ')}) ` +
        `for its realtime CrudApis: Azure allows ${FREE_WEB_PUBSUB_UNITS_PER_REGION} Free units per subscription ` +
        `and region, so at most ${fit} such environment(s) can live at once in ${config.location} (fewer when ` +
        'the subscription has other Free Web PubSubs there), and the next one fails at apply.',
      resolution:
        'Destroy previews when their pull request closes (atakora destroy), give previews realtime: { sku: ' +
        "'Standard_S1' } (priced in the plan), spread sandboxes over regions (location), or deploy them to a " +
        'subscription of their own.',
    })),
    ...quotaNote(objects.length, DIRECTORY_OBJECTS_PER_NON_ADMIN, (fit) => ({
      severity: 'warning',
      code: 'EPHEMERAL_DIRECTORY_OBJECTS',
      path: ['config', 'auth'],
      message:
        `Environment ${env} is ephemeral and creates ${objects.length} directory object(s) (app registrations ` +
        `and their service principals): a deployer without a directory admin role may create ` +
        `${DIRECTORY_OBJECTS_PER_NON_ADMIN}, deleted ones counting for ${DELETED_DIRECTORY_OBJECT_DAYS} days ` +
        `unless permanently deleted, so about ${fit} such environments in ${DELETED_DIRECTORY_OBJECT_DAYS} days ` +
        `exhaust it and every deploy of that identity fails.`,
      resolution:
        'Remove previews with atakora destroy or sandboxes with atakora sandbox --delete: they permanently delete ' +
        "the environment's registrations from the directory's deleted items. Or reuse one registration " +
        '(auth: { clientId }) for previews, or give the deploying identity a role the quota does not bind ' +
        '(e.g. Application Administrator).',
    })),
  ];
}

/** The note of a quota `count` of an environment's resources draw on: with `fit`, how many such environments fit. */
function quotaNote(count: number, quota: number, note: (fit: number) => PlanIssue): PlanIssue[] {
  return count > 0 ? [note(Math.floor(quota / count))] : [];
}
