import type { NormalizedConfig } from '../../model/config.js';
import type { PlanIssue } from '../../model/plan.js';

/**
 * `mcp.authorization` on a backend deployed behind App Service authentication (every `auth` but `'none'`, which
 * `MCP_AUTHORIZATION_SIGN_IN_OFF` refuses): the authorization server and the door are served (the token and
 * revocation endpoints and `api/mcp` are in `excludedPaths`, and the runtime checks an agent's token there itself:
 * resources/functions/door/door-paths.ts, runtime/caller/door.ts), but the plan creates no signing key in Key Vault, so without
 * `ATAKORA_AGENT_SIGNING_KEY` each instance signs with a key of its own. A warning, not an error, since Entra tokens
 * keep working at `api/mcp` and the rest of the backend deploys (docs/mcp.md, "What this version serves").
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
        "startBackend), and deployed their tokens reach the runtime's door at api/mcp; but the plan creates no " +
        'signing key in Key Vault yet, so without the app setting ATAKORA_AGENT_SIGNING_KEY each instance signs ' +
        'with a key of its own and refuses the access tokens another instance issued.',
      resolution:
        'Set ATAKORA_AGENT_SIGNING_KEY (a private P-256 JWK) on the Function App, meanwhile connect deployed ' +
        'agents with Entra tokens (docs/mcp.md, "Connecting a client"), or leave mcp.authorization out until a ' +
        'later version keeps the key in Key Vault.',
    },
  ];
}
