import { azureToken } from './credentials.js';
import type { ReferenceWait } from './references.js';

/**
 * How long `secret set` and `deploy` wait for Key Vault references: `--wait-seconds` when given, else 600 s
 * (RBAC's propagation time); the first pause between rounds from ATAKORA_REFERENCE_POLL_MS (tests shorten it),
 * else 5 s.
 *
 * @example
 * ```ts
 * await awaitResolvedReferences(sites, referenceWaitOptions(arm, undefined, console.error));
 * ```
 */
export function referenceWaitOptions(
  endpoint: string,
  waitSeconds: number | undefined,
  log: (line: string) => void,
  env: NodeJS.ProcessEnv = process.env,
): ReferenceWait {
  const poll = Number(env['ATAKORA_REFERENCE_POLL_MS']);
  return {
    token: () => azureToken(endpoint, env),
    log,
    ...(waitSeconds === undefined ? {} : { timeoutMs: waitSeconds * 1000 }),
    ...(Number.isFinite(poll) && poll > 0 ? { initialDelayMs: poll } : {}),
  };
}
