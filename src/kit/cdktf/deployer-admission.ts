import type { Construct } from 'constructs';
import { AtakoraError } from '../../model/errors.js';
import { ipRuleProblem } from '../pure/ip-rules.js';

/**
 * The construct-tree context key through which `atakora deploy --admit-address` (or your own cdktf program)
 * admits one deployer address for a run: `new App({ context: { [DEPLOYER_ADMISSION_CONTEXT]: { address } } })`.
 * `{ address: '203.0.113.7' }` while the run deploys; `{ address: null }` for the step that removes it again.
 */
export const DEPLOYER_ADMISSION_CONTEXT = 'atakora:deployerAdmission';

/** The IP rule list and default action of one firewall the stack writes. */
export interface DeployerIpRules {
  readonly defaultAction: 'Allow' | 'Deny';
  readonly ipRules: string[];
}

/**
 * The IP rules a firewall the stack writes gets: `networking.deployerAddresses`, plus the run's admitted address
 * when an admission is in effect (the context above). Every IP rule list of the stack goes through here, so the
 * run's address is in all of them or in none. While an admission is in effect (the address, or `null` for the
 * removal), the firewall denies by default even without configured addresses: a CI that admits its runner each
 * run keeps the account closed between runs (without it and without `deployerAddresses` the account admits every
 * network, and the plan warns DEPLOYER_ADDRESSES_MISSING).
 *
 * @example
 * ```ts
 * const { defaultAction, ipRules } = deployerIpRules(ctx.scope, ctx.config.networking.deployerAddresses);
 * ```
 */
export function deployerIpRules(scope: Construct, configured: readonly string[]): DeployerIpRules {
  const admission = admissionOf(scope);
  const address = admission?.address ?? undefined;
  const ipRules =
    address && !configured.includes(address) ? [...configured, address] : [...configured];
  return { defaultAction: ipRules.length > 0 || admission ? 'Deny' : 'Allow', ipRules };
}

function admissionOf(scope: Construct): { readonly address: string | null } | undefined {
  const raw: unknown = scope.node.tryGetContext(DEPLOYER_ADMISSION_CONTEXT);
  if (raw === undefined) return undefined;
  const address: unknown =
    typeof raw === 'object' && raw !== null && 'address' in raw ? raw.address : undefined;
  if (address === null) return { address: null };
  const problem = typeof address === 'string' ? ipRuleProblem(address) : 'is not a string';
  if (typeof address !== 'string' || problem !== undefined) {
    throw new AtakoraError(
      'ADMIT_ADDRESS_INVALID',
      `The admitted deployer address ${JSON.stringify(address)} (context ${DEPLOYER_ADMISSION_CONTEXT}) ${problem}.`,
      {
        path: ['context', DEPLOYER_ADMISSION_CONTEXT, 'address'],
        details: { address },
      },
    );
  }
  return { address };
}
