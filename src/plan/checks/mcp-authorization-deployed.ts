import type { NormalizedConfig } from '../../model/config.js';
import type { PlanIssue } from '../../model/plan.js';

/**
 * `mcp.authorization` on a backend deployed behind App Service authentication (every `auth` but `'none'`, which
 * `MCP_AUTHORIZATION_SIGN_IN_OFF` refuses): the authorization server and the door are served (the token and
 * revocation endpoints and `api/mcp` are in `excludedPaths`, and the runtime checks an agent's token there itself:
 * resources/functions/door/door-paths.ts, runtime/caller/door.ts), and access tokens are signed with the key the plan
 * keeps in Key Vault, which every instance verifies (runtime/mcp/oauth/vault-signing-key.ts). What is left: the
 * consent form's anti-forgery key (runtime/members/agents/agent-keys.ts) is each instance's own unless
 * `ATAKORA_AGENT_SIGNING_KEY` is set, so on a Function App of several instances a consent page one instance showed
 * and another answers is refused and the person allows again. A warning, not an error, since Entra tokens keep
 * working at `api/mcp` and the rest of the backend deploys (docs/mcp.md, "What this version serves").
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
        "startBackend), and deployed their tokens are signed with the plan's key in Key Vault and reach the " +
        "runtime's door at api/mcp; but the consent form's anti-forgery key is each instance's own, so on a " +
        'Function App running more than one instance a consent page shown by one instance and answered on ' +
        'another is refused, and the person has to allow the agent again.',
      resolution:
        'Set ATAKORA_AGENT_SIGNING_KEY (a private P-256 JWK, e.g. a Key Vault reference app setting) to share one ' +
        'key, the consent form included, across instances, or accept the retry; Entra tokens keep working at ' +
        'api/mcp (docs/mcp.md, "Connecting a client").',
    },
  ];
}
