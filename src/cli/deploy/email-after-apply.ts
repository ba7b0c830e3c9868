import { AtakoraError } from '../../model/errors.js';
import type { ArmSession } from '../azure/cosmos-accounts.js';
import { azureToken } from '../azure/credentials.js';
import type { DnsRecord } from '../azure/email/domain-arm.js';
import {
  emailDomainOf,
  linkVerifiedDomain,
  type DomainLinkOptions,
} from '../azure/email/domain-link.js';
import { armEndpoint } from '../azure/endpoints.js';
import { AzureRequestError } from '../azure/errors.js';
import type { SynthesizedStack } from '../entry/synth-stacks.js';
import { msFromEnv } from '../shared/env-ms.js';

/**
 * The step of `atakora deploy` after a stack's apply for a custom e-mail domain (`tenants.email.domain`): Azure's
 * verification started and awaited, the domain linked to the Communication Service once verified
 * (cli/azure/email/domain-link.ts), through Resource Manager (`ATAKORA_ARM_ENDPOINT` and `ATAKORA_ARM_TOKEN` for a
 * stand-in, else the deployer's credential). `ATAKORA_EMAIL_VERIFY_WAIT_MS` bounds the wait (default 10 minutes).
 * A domain not verified yet is a warning with the DNS records to add, never a failed deploy: the first deploy makes
 * the domain, the operator adds its records, the next deploy links it. A stack without a custom domain makes no call.
 *
 * @example
 * ```ts
 * await emailAfterApply(stack, process.env, (l) => io.err(l));
 * ```
 */
export async function emailAfterApply(
  stack: Pick<SynthesizedStack, 'plan' | 'resourceGroup' | 'subscriptionId'>,
  env: NodeJS.ProcessEnv,
  log: (line: string) => void,
  options: DomainLinkOptions = {},
): Promise<void> {
  const target = emailDomainOf(stack.plan, stack.resourceGroup);
  if (!target) return;
  const subscriptionId = stack.subscriptionId ?? env['ARM_SUBSCRIPTION_ID'];
  if (!subscriptionId)
    throw new AtakoraError('EMAIL_DOMAIN_LINK_FAILED', 'No subscription for the e-mail domain.', {
      path: ['deploy', 'email'],
      resolution: 'Set ARM_SUBSCRIPTION_ID (as for Terraform) and run atakora deploy again.',
    });
  const endpoint = armEndpoint(undefined, env);
  const session: ArmSession = { endpoint, token: await azureToken(endpoint, env), subscriptionId };
  log(`${target.domain}: checking Azure's verification of the e-mail domain\n`);
  let outcome;
  try {
    outcome = await linkVerifiedDomain(session, target, {
      waitMs: msFromEnv(env, 'ATAKORA_EMAIL_VERIFY_WAIT_MS', 600_000),
      ...options,
    });
  } catch (e) {
    if (!(e instanceof AzureRequestError)) throw e;
    throw new AtakoraError(
      'EMAIL_DOMAIN_LINK_FAILED',
      `${target.domain}: ${e.what} failed (${e.message}). The stack is deployed; the domain is not linked.`,
      { path: ['deploy', 'email', target.domain] },
    );
  }
  const states = Object.entries(outcome.states)
    .map(([k, v]) => `${k} ${v}`)
    .join(', ');
  if (outcome.status !== 'unverified') {
    log(
      `${target.domain}: verified by Azure (${states}); ${outcome.status === 'linked' ? 'linked to' : 'already linked to'} ` +
        `${target.communicationService}\n`,
    );
    return;
  }
  log(
    `warning EMAIL_DOMAIN_VERIFICATION: ${target.domain} is not verified by Azure yet (${states}): it is not linked, ` +
      "and invitation e-mails are recorded 'failed' until it is. Add these records to its DNS zone, then run " +
      `atakora deploy again:\n${recordLines(outcome.records)}`,
  );
}

/** The DNS records as lines an operator copies: type, name, value, TTL. */
function recordLines(records: readonly DnsRecord[]): string {
  if (records.length === 0)
    return '  (Azure listed no records yet: read them with terraform output)\n';
  return records
    .map(
      (r) =>
        `  ${r.kind.padEnd(6)} ${r.type.padEnd(5)} ${r.name}  ${r.value}${r.ttl ? `  TTL ${String(r.ttl)}` : ''}\n`,
    )
    .join('');
}
