import type { Backend } from '../../backend/backend.js';
import { AtakoraError } from '../../model/errors.js';
import { authSetupOf } from '../shared/customer-sign-in/setup.js';
import type { SynthesizedStack } from '../entry/synth-stacks.js';

/**
 * After every stack is applied: `atakora auth setup` for each deployed backend with a customer sign-in — its
 * registrations now exist in the external tenant, so the user flow can be linked to them. The stack's plan holds the
 * deployed names (the vault's). A failure is the setup's own AtakoraError, saying that the stacks are deployed and
 * only `auth setup` is to run again.
 *
 * @example
 * ```ts
 * await authAfterApply(backends, deployedStacks, { entry, environment, log, env: process.env });
 * ```
 */
export async function authAfterApply(
  backends: readonly Backend[],
  stacks: readonly SynthesizedStack[],
  o: {
    readonly entry: string;
    readonly environment: string | undefined;
    readonly log: (line: string) => void;
    readonly env: NodeJS.ProcessEnv;
  },
): Promise<void> {
  for (const stack of stacks) {
    const backend = backends.find(
      (b) =>
        b.config.backendId === stack.plan.backendId &&
        b.environment === stack.plan.environment &&
        b.plan().location === stack.plan.location,
    );
    if (!backend?.config.auth.customers) continue;
    try {
      await authSetupOf(
        { config: backend.config, plan: stack.plan, stack: stack.name },
        { env: o.env, resourceGroup: stack.resourceGroup, out: o.log },
      );
    } catch (e) {
      if (!(e instanceof AtakoraError)) throw e;
      const again = `atakora auth setup ${o.entry}${o.environment ? ` --environment ${o.environment}` : ''}${
        stack.resourceGroup === `rg-${stack.name}` ? '' : ` --resource-group ${stack.resourceGroup}`
      }`;
      throw new AtakoraError(
        e.code,
        `${stack.name} is deployed, but its customer sign-in is not set up: ${e.message}`,
        {
          path: [...e.path],
          details: e.details,
          resolution: `${e.resolution} Then run ${again} (the deploy need not run again).`,
        },
      );
    }
  }
}
