import type { NormalizedConfig } from '../../model/config.js';
import type { PlanIssue } from '../../model/plan.js';

/**
 * `mcp.authorization` on a backend deployed behind App Service authentication (every `auth` but `'none'`, which
 * `MCP_AUTHORIZATION_SIGN_IN_OFF` refuses): the authorization server itself is served (its token and revocation
 * endpoints are in `excludedPaths`, resources/functions/auth-settings.ts), but the platform validates every bearer
 * token at `api/mcp` as an Entra token for the API's registration and answers 401 before the runtime runs
 * (`unauthenticatedClientAction: Return401`; ARM GlobalValidation, "The action to take when an unauthenticated
 * client attempts to access the app",
 * https://learn.microsoft.com/rest/api/appservice/web-apps/update-auth-settings-v2#globalvalidation), so the
 * ES256 access token an agent got never reaches the door's agent caller. Agents sign in under
 * `atakora dev` and in-process; a warning, not an error, since Entra tokens keep working at `api/mcp` and the rest of
 * the backend deploys (docs/mcp.md, "What this version serves").
 *
 * @example
 * ```ts
 * mcpAuthorizationDeployedIssues(config); // [{ severity: 'warning', code: 'MCP_AUTHORIZATION_NOT_DEPLOYED', … }]
 * ```
 */
export function mcpAuthorizationDeployedIssues(config: NormalizedConfig): PlanIssue[] {
  if (!config.auth.enabled || !config.mcp?.authorization) return [];
  return [
    {
      severity: 'warning',
      code: 'MCP_AUTHORIZATION_NOT_DEPLOYED',
      path: ['config', 'mcp', 'authorization'],
      message:
        'mcp.authorization: agents sign in to an organization under atakora dev and in-process (tests, ' +
        'startBackend), but deployed to Azure, App Service authentication checks every bearer token at api/mcp as ' +
        'an Entra token before the runtime runs, so the deployed door answers 401 to the access tokens the ' +
        "backend's own authorization server issues.",
      resolution:
        'Meanwhile connect deployed agents with Entra tokens (docs/mcp.md, "Connecting a client"), keep agent ' +
        'sign-in for atakora dev and tests, or leave mcp.authorization out until a later version lets agent ' +
        'tokens through.',
    },
  ];
}
