import type { NormalizedConfig } from '../../model/config.js';
import type { PlanIssue } from '../../model/plan.js';

/**
 * `tenants.apiKeys` on a backend whose Function App is deployed behind App Service authentication (every `auth`
 * but `'none'`): the platform checks each request's bearer token as an Entra token for the API's registration and
 * answers 401 before the runtime runs (`unauthenticatedClientAction: Return401`,
 * resources/functions/auth-settings.ts; ARM GlobalValidation, "The action to take when an unauthenticated client
 * attempts to access the app", https://learn.microsoft.com/rest/api/appservice/web-apps/update-auth-settings-v2#globalvalidation),
 * so an `atk_…` key never reaches the key caller (runtime/caller/key-caller.ts). Keys work under `atakora dev` and
 * in-process; a warning, not an error, since the rest of the backend deploys and works (docs/integrations.md,
 * "Not yet").
 *
 * @example
 * ```ts
 * apiKeysDeployedIssues(config); // [{ severity: 'warning', code: 'TENANTS_API_KEYS_NOT_DEPLOYED', … }] with apiKeys
 * ```
 */
export function apiKeysDeployedIssues(config: NormalizedConfig): PlanIssue[] {
  if (!config.auth.enabled || config.tenants?.membership?.apiKeys === undefined) return [];
  return [
    {
      severity: 'warning',
      code: 'TENANTS_API_KEYS_NOT_DEPLOYED',
      path: ['config', 'tenants', 'apiKeys'],
      message:
        'tenants.apiKeys: organization API keys work under atakora dev and in-process (tests, startBackend), but ' +
        'deployed to Azure, App Service authentication checks every bearer token as an Entra token before the ' +
        'runtime runs, so the deployed API answers 401 to every `Authorization: Bearer atk_…` request until a ' +
        'later version lets key-bearing requests through.',
      resolution:
        'Meanwhile call the deployed API with Entra tokens (a signed-in member, or an app registration of your ' +
        'directory granted an app role: docs/sign-in.md), keep keys for atakora dev and tests, and tell ' +
        'integrators keys are not yet accepted in Azure (docs/integrations.md#not-yet).',
    },
  ];
}
