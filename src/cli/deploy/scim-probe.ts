import type { SynthesizedStack } from '../entry/synth-stacks.js';
import { getWithBearer } from '../azure/probe.js';
import { healthTargets, type DeployedEndpoint } from './after-apply.js';

/**
 * The bearer the probe sends: shaped like a SCIM token but issued by no organization, so the runtime refuses it
 * (401) and writes nothing.
 */
export const SCIM_PROBE_TOKEN = 'atakora-scim.probe';

/** The warning's code (docs/troubleshooting.md, SCIM_BEHIND_APP_SERVICE_AUTH). */
export const SCIM_BEHIND_APP_SERVICE_AUTH = 'SCIM_BEHIND_APP_SERVICE_AUTH';

/**
 * Where deploy probes SCIM: the shared app's `/api/scim/v2/ServiceProviderConfig`, when the backend serves SCIM
 * there (tenants by membership, a plan with `scim`, no SCIM app of `tenants.scimApp`) and the app is public (an
 * isolated app takes no public traffic: nothing to probe from here). Undefined otherwise.
 *
 * @example
 * ```ts
 * scimProbeTarget(stack, endpoints)?.url; // 'https://func-teams-dev-x1y2z3.azurewebsites.net/api/scim/v2/ServiceProviderConfig'
 * ```
 */
export function scimProbeTarget(
  stack: SynthesizedStack,
  endpoints: readonly DeployedEndpoint[],
): { readonly app: string; readonly url: string } | undefined {
  if (stack.servesScim !== true || stack.plan.resources.some((r) => r.type === 'scim'))
    return undefined;
  const shared = stack.plan.resources.find(
    (r) => r.type === 'functions' && r.config['crudRuntime'] === true,
  );
  const health = healthTargets(stack, endpoints).targets.find((t) => t.app === shared?.name);
  if (!health) return undefined;
  return {
    app: health.app,
    url: `${new URL(health.url).origin}/api/scim/v2/ServiceProviderConfig`,
  };
}

/**
 * Whether an answer to the probe is our runtime's SCIM refusal (runtime/members/scim/scim-serve.ts): 401,
 * `application/scim+json`, `WWW-Authenticate: Bearer realm="scim"` and a SCIM error body. App Service
 * authentication's own 401 (a `WWW-Authenticate` naming Entra, no SCIM body) is not: the request never reached
 * the runtime.
 *
 * @example
 * ```ts
 * isRuntimeScimRefusal(401, new Headers({ 'content-type': 'application/scim+json', 'www-authenticate': 'Bearer realm="scim"' }), body);
 * ```
 */
export function isRuntimeScimRefusal(status: number, headers: Headers, body: string): boolean {
  if (status !== 401) return false;
  if (!/^application\/scim\+json\b/i.test(headers.get('content-type') ?? '')) return false;
  if (!/^Bearer realm="scim"$/i.test((headers.get('www-authenticate') ?? '').trim())) return false;
  try {
    const doc = JSON.parse(body) as { schemas?: unknown };
    return (
      Array.isArray(doc.schemas) &&
      doc.schemas.includes('urn:ietf:params:scim:api:messages:2.0:Error')
    );
  } catch {
    return false;
  }
}

/**
 * Probe SCIM once (docs/enterprise.md, "SCIM behind App Service authentication"): the lines deploy prints — none
 * when the runtime answered, else the SCIM_BEHIND_APP_SERVICE_AUTH warning with its resolution, or a note that the
 * probe got no answer. Never a failure: the rest of the backend works either way.
 *
 * @example
 * ```ts
 * for (const line of await probeScim(target, 10_000)) io.err(line);
 * ```
 */
export async function probeScim(
  target: { readonly app: string; readonly url: string },
  timeoutMs: number,
): Promise<string[]> {
  let answer: { readonly status: number; readonly headers: Headers; readonly body: string };
  try {
    answer = await getWithBearer(target.url, SCIM_PROBE_TOKEN, timeoutMs);
  } catch (e) {
    return [
      `${target.app}: SCIM not probed (${(e as Error).message}); check by hand: curl -si ${target.url} ` +
        `-H 'Authorization: Bearer ${SCIM_PROBE_TOKEN}'\n`,
    ];
  }
  if (isRuntimeScimRefusal(answer.status, answer.headers, answer.body)) return [];
  const said = `HTTP ${String(answer.status)}${
    answer.headers.get('www-authenticate')
      ? `, WWW-Authenticate: ${answer.headers.get('www-authenticate')}`
      : ''
  }`;
  return [
    `warning ${SCIM_BEHIND_APP_SERVICE_AUTH}: ${target.app}: SCIM cannot reach the app: App Service ` +
      `authentication answered ${target.url} (${said}), not the runtime, so Entra's and Okta's provisioning fail. ` +
      'Set tenants.scimApp: true (SCIM from an app of its own without App Service authentication) and run atakora ' +
      'deploy again (docs/enterprise.md, "The SCIM app").\n',
  ];
}

/**
 * Probe SCIM on each deployed stack that serves it from the shared app ({@link scimProbeTarget}), printing what
 * {@link probeScim} says.
 *
 * @example
 * ```ts
 * await probeScimAll(deployed, 60, io.err);
 * ```
 */
export async function probeScimAll(
  deployed: readonly {
    readonly stack: SynthesizedStack;
    readonly endpoints: readonly DeployedEndpoint[];
  }[],
  seconds: number,
  err: (line: string) => void,
): Promise<void> {
  for (const { stack, endpoints } of deployed) {
    const target = scimProbeTarget(stack, endpoints);
    if (target) for (const line of await probeScim(target, seconds * 1000)) err(line);
  }
}
