import { ipEchoUrl } from './endpoints.js';

/**
 * Plain GETs of what a deploy made public (a Function App's `/api/health`, a static site's pages) and of the IP
 * echo service `--admit-address auto` asks: no token, the caller's signal (a poll's attempt). A network failure
 * throws as fetch throws, for the poll to report (`ECONNREFUSED`, `timeout`).
 */

/**
 * The status of a GET, its body discarded; redirects are not followed (a health endpoint answers itself).
 *
 * @example
 * ```ts
 * await probeStatus('https://func-x.azurewebsites.net/api/health', { signal }); // 200
 * ```
 */
export async function probeStatus(url: string, init: { signal: AbortSignal }): Promise<number> {
  const res = await fetch(url, {
    signal: init.signal,
    redirect: 'manual',
    headers: { accept: 'application/json' },
  });
  await res.body?.cancel();
  return res.status;
}

/**
 * A GET with a bearer (deploy's SCIM probe: a token no organization issued), redirects not followed: the status, the
 * headers and the body, for the caller to tell who answered. A network failure throws as fetch throws.
 *
 * @example
 * ```ts
 * const a = await getWithBearer(`${origin}/api/scim/v2/ServiceProviderConfig`, 'atakora-scim.probe', 10_000);
 * ```
 */
export async function getWithBearer(
  url: string,
  bearer: string,
  timeoutMs: number,
): Promise<{ readonly status: number; readonly headers: Headers; readonly body: string }> {
  const res = await fetch(url, {
    redirect: 'manual',
    signal: AbortSignal.timeout(timeoutMs),
    headers: { authorization: `Bearer ${bearer}`, accept: 'application/scim+json' },
  });
  return { status: res.status, headers: res.headers, body: await res.text() };
}

/**
 * The status and body of a GET of a public page.
 *
 * @example
 * ```ts
 * (await fetchPage('https://site.azurestaticapps.net/', { signal })).text;
 * ```
 */
export async function fetchPage(
  url: string,
  init: { signal: AbortSignal },
): Promise<{ readonly status: number; readonly text: string }> {
  const res = await fetch(url, { signal: init.signal });
  return { status: res.status, text: await res.text() };
}

/**
 * This machine's public address as the IP echo service (endpoints.ts, `ipEchoUrl`) answers it: the trimmed text
 * and whether the answer was a 2xx. A network failure throws.
 *
 * @example
 * ```ts
 * const { url, ok, text } = await askPublicAddress(process.env, 10_000);
 * ```
 */
export async function askPublicAddress(
  env: NodeJS.ProcessEnv,
  timeoutMs: number,
): Promise<{ readonly url: string; readonly status: number; readonly text: string }> {
  const url = ipEchoUrl(env);
  const res = await fetch(url, {
    signal: AbortSignal.timeout(timeoutMs),
    headers: { accept: 'text/plain' },
  });
  return { url, status: res.status, text: (await res.text()).trim() };
}
