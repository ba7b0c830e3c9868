import { AtakoraError } from '../../model/errors.js';
import type { ArmSession } from '../azure/cosmos-accounts.js';
import { azureToken } from '../azure/credentials.js';
import { armEndpoint } from '../azure/endpoints.js';
import { searchContainersOf } from '../azure/search/container-body.js';
import { deploySearchContainers } from '../azure/search/containers.js';
import type { SynthesizedStack } from '../entry/synth-stacks.js';

/**
 * The step of `atakora deploy` after a stack's apply: its search containers and their roles, through Resource
 * Manager (`ATAKORA_ARM_ENDPOINT` and `ATAKORA_ARM_TOKEN` for a stand-in, else the deployer's credential). A stack
 * without search makes no call.
 *
 * @example
 * ```ts
 * await searchAfterApply(stack, process.env, (l) => io.err(l));
 * ```
 */
export async function searchAfterApply(
  stack: Pick<SynthesizedStack, 'plan' | 'resourceGroup' | 'subscriptionId'>,
  env: NodeJS.ProcessEnv,
  log: (line: string) => void,
): Promise<void> {
  const targets = searchContainersOf(stack.plan, stack.resourceGroup);
  if (targets.length === 0) return;
  const subscriptionId = stack.subscriptionId ?? env['ARM_SUBSCRIPTION_ID'];
  if (!subscriptionId)
    throw new AtakoraError(
      'SEARCH_CONTAINER_DEPLOY_FAILED',
      'No subscription for the search containers.',
      {
        path: ['deploy', 'search'],
        resolution: 'Set ARM_SUBSCRIPTION_ID (as for Terraform) and run atakora deploy again.',
      },
    );
  const endpoint = armEndpoint(undefined, env);
  const session: ArmSession = { endpoint, token: await azureToken(endpoint, env), subscriptionId };
  for (const o of await deploySearchContainers(session, targets, { log }))
    log(
      `${o.container}: search container ${o.action}${o.grants ? `, ${String(o.grants)} data role(s) granted` : ''}\n`,
    );
}
