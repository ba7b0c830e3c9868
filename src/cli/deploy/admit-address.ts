import { AtakoraError } from '../../model/errors.js';
import { ipRuleProblem } from '../../kit/pure/ip-rules.js';
import { ipEchoUrl } from '../azure/endpoints.js';
import { askPublicAddress } from '../azure/probe.js';

/**
 * The address `atakora deploy --admit-address <ip|auto>` admits for the run. `auto` asks the echo URL
 * (`ATAKORA_IP_ECHO_URL`, default https://api.ipify.org: azure/endpoints.ts; it answers the caller's IPv4
 * address as plain text). Either way the result must be a public IPv4 address: storage firewall IP rules take nothing else
 * (azurerm `network_rules.ip_rules`, website/docs/r/storage_account.html.markdown@v4.55.0; Learn, "Configure
 * Azure Storage firewalls and virtual networks").
 *
 * @example
 * ```ts
 * await resolveAdmitAddress('auto');          // '203.0.113.7' (the runner's egress)
 * await resolveAdmitAddress('198.51.100.20'); // '198.51.100.20'
 * ```
 */
export async function resolveAdmitAddress(
  value: string,
  env: NodeJS.ProcessEnv = process.env,
  timeoutMs = 10_000,
): Promise<string> {
  const given = value.trim();
  if (given !== 'auto') {
    const problem = ipRuleProblem(given);
    if (problem)
      throw new AtakoraError(
        'ADMIT_ADDRESS_INVALID',
        `--admit-address ${JSON.stringify(given)} ${problem}.`,
        { path: ['--admit-address'], details: { address: given } },
      );
    return given;
  }
  const url = ipEchoUrl(env);
  let text: string;
  try {
    const answer = await askPublicAddress(env, timeoutMs);
    text = answer.text;
    if (answer.status < 200 || answer.status > 299) throw new Error(`HTTP ${answer.status}`);
  } catch (e) {
    throw new AtakoraError(
      'ADMIT_ADDRESS_DISCOVERY_FAILED',
      `--admit-address auto: asking ${url} for this machine's public address failed (${(e as Error).message}).`,
      {
        path: ['--admit-address'],
        details: { url },
        cause: e,
      },
    );
  }
  const problem = ipRuleProblem(text);
  if (problem) {
    throw new AtakoraError(
      'ADMIT_ADDRESS_DISCOVERY_FAILED',
      `--admit-address auto: ${url} answered ${JSON.stringify(text.slice(0, 80))}, which ${problem}.`,
      {
        path: ['--admit-address'],
        details: { url, answer: text.slice(0, 200) },
      },
    );
  }
  return text;
}
