import { AtakoraError } from '../../model/errors.js';
import { ipRuleProblem } from '../../kit/pure/ip-rules.js';

/** Where `--admit-address auto` asks for the runner's public address: a plain-text IPv4 echo service. */
export const DEFAULT_IP_ECHO_URL = 'https://api.ipify.org';

/**
 * The address `atakora deploy --admit-address <ip|auto>` admits for the run. `auto` asks the echo URL
 * (`ATAKORA_IP_ECHO_URL`, default {@link DEFAULT_IP_ECHO_URL}, which answers the caller's IPv4 address as
 * plain text). Either way the result must be a public IPv4 address: storage firewall IP rules take nothing else
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
  const url = env['ATAKORA_IP_ECHO_URL'] || DEFAULT_IP_ECHO_URL;
  let text: string;
  try {
    const response = await fetch(url, {
      signal: AbortSignal.timeout(timeoutMs),
      headers: { accept: 'text/plain' },
    });
    text = (await response.text()).trim();
    if (!response.ok) throw new Error(`HTTP ${response.status}`);
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
