// An agent's side of `atakora dev` for black-box probes of the authorization server (DESIGN §2, "Agents that sign in
// to an organization"): dev started on a membership backend with `mcp.authorization`, the agent's Client ID Metadata
// Documents on a loopback HTTPS host of the developer's own CA (trusted through NODE_EXTRA_CA_CERTS, as dev does),
// and plain-fetch helpers for the authorize, consent, token and revoke steps — nothing of the runtime imported.
import { createHash, randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { createServer, type Server } from 'node:https';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { type DevSession, startDev } from '../../../src/cli/dev/session/session.js';
import { consentForm } from '../../runtime/support/consent-form.js';
import { userCa } from '../../support/user-ca.js';

/** The agent's one redirect URI, as its good metadata document lists it. */
export const REDIRECT = 'http://localhost:6274/callback';

/** A path of the metadata host and how it answers (`base` is the host's origin). */
export type MetadataRoute = (base: string, req: IncomingMessage, res: ServerResponse) => void;

/** dev and the agent's metadata host, with the helpers a probe drives them through. */
export interface DevAgents {
  readonly dev: DevSession;
  /** The API's base (`<origin>/api`): the issuer. */
  readonly api: string;
  /** The metadata host's origin (`https://localhost:<port>`). */
  readonly host: string;
  /** The good document's URL: its client id. */
  readonly clientId: string;
  stop(): Promise<void>;
}

/**
 * Start dev on `entry` with the metadata host serving `/agent.json` (the good document) and `routes`.
 *
 * @example
 * ```ts
 * const agents = await startDevAgents('test/cli/fixtures/verify/org-keys.ts', {});
 * ```
 */
export async function startDevAgents(
  entry: string,
  routes: Readonly<Record<string, MetadataRoute>>,
): Promise<DevAgents> {
  const work = mkdtempSync(join(tmpdir(), 'atakora-dev-agents-probe-'));
  const before = process.env['NODE_EXTRA_CA_CERTS'];
  const ca = userCa('Probe Dev Root');
  const tls = ca.issue(['127.0.0.1', 'localhost']);
  const caFile = join(work, 'root.pem');
  writeFileSync(caFile, ca.cert);
  let host = '';
  const all: Record<string, MetadataRoute> = {
    '/agent.json': (base, _req, res) => document(res, goodDocument(`${base}/agent.json`)),
    ...routes,
  };
  const server: Server = createServer({ cert: tls.cert, key: tls.key }, (req, res) => {
    const route = all[new URL(req.url ?? '/', host).pathname];
    if (route) route(host, req, res);
    else res.writeHead(404).end();
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  host = `https://localhost:${String((server.address() as AddressInfo).port)}`;
  process.env['NODE_EXTRA_CA_CERTS'] = caFile;
  const dev = await startDev(entry, {
    log: () => undefined,
    stateDir: join(work, 'state'),
    sitePort: 0,
    port: 0,
  });
  const app = dev.apps.find((a) => a.functions.some((f) => f.name === 'atakora-mcp'));
  return {
    dev,
    api: `${app?.url ?? ''}/api`,
    host,
    clientId: `${host}/agent.json`,
    async stop() {
      if (before === undefined) delete process.env['NODE_EXTRA_CA_CERTS'];
      else process.env['NODE_EXTRA_CA_CERTS'] = before;
      await dev.stop();
      server.closeAllConnections();
      await new Promise((r) => server.close(r));
      rmSync(work, { recursive: true, force: true });
    },
  };
}

/** A well-formed metadata document naming `clientId` and {@link REDIRECT}. */
export const goodDocument = (clientId: string): Record<string, unknown> => ({
  client_id: clientId,
  client_name: 'Probe Agent',
  redirect_uris: [REDIRECT],
  grant_types: ['authorization_code', 'refresh_token'],
  response_types: ['code'],
  token_endpoint_auth_method: 'none',
});

/** Answer a metadata document (kept 5 minutes, as a hosted client's is). */
export const document = (res: ServerResponse, body: unknown): void => {
  res.writeHead(200, { 'content-type': 'application/json', 'cache-control': 'max-age=300' });
  res.end(JSON.stringify(body));
};

/** A fresh PKCE pair (RFC 7636 §4.1–4.2, S256). */
export const pkce = (): { verifier: string; challenge: string } => {
  const verifier = randomBytes(32).toString('base64url');
  return { verifier, challenge: createHash('sha256').update(verifier).digest('base64url') };
};

/** The dev sign-in of `who` (`alice@example.com`), and an organization to act in. */
export const as = (who: string, organization?: string): Record<string, string> => ({
  'x-atakora-dev-user': who,
  ...(organization ? { 'x-atakora-tenant': organization } : {}),
});

/** An authorization request's URL: the good client's, every parameter right, `over` replacing or adding. */
export function authorizeUrl(
  a: Pick<DevAgents, 'api' | 'clientId'>,
  challenge: string,
  over: Readonly<Record<string, string | undefined>> = {},
): string {
  const params: Record<string, string | undefined> = {
    response_type: 'code',
    client_id: a.clientId,
    redirect_uri: REDIRECT,
    code_challenge: challenge,
    code_challenge_method: 'S256',
    state: 'st',
    scope: 'mcp',
    resource: `${a.api}/mcp`,
    ...over,
  };
  const q = new URLSearchParams();
  for (const [k, v] of Object.entries(params)) if (v !== undefined) q.set(k, v);
  return `${a.api}/oauth/authorize?${q.toString()}`;
}

/** The consent page as `who` sees it. */
export async function consentPageOf(url: string, who: string) {
  const r = await fetch(url, { headers: as(who), redirect: 'manual' });
  const html = await r.text();
  return { status: r.status, headers: r.headers, html, form: consentForm(html) };
}

/** Post the consent form of `url` as `who`: the answer, and where it redirects (if it does). */
export async function postConsent(
  url: string,
  who: string,
  fields: Readonly<Record<string, string>>,
): Promise<{ status: number; location: URL | undefined; html: string }> {
  const r = await fetch(url, {
    method: 'POST',
    redirect: 'manual',
    headers: { ...as(who), 'content-type': 'application/x-www-form-urlencoded' },
    body: new URLSearchParams(fields),
  });
  const location = r.headers.get('location');
  return {
    status: r.status,
    location: location ? new URL(location) : undefined,
    html: await r.text(),
  };
}

/** Consent as `who` in `organization` and answer the redirect's code. */
export async function codeFor(url: string, who: string, organization: string): Promise<string> {
  const page = await consentPageOf(url, who);
  const allowed = await postConsent(url, who, {
    csrf: page.form.csrf,
    organization,
    decision: 'allow',
  });
  return allowed.location?.searchParams.get('code') ?? '';
}

/** `POST api/<path>` with a form: status, headers and the JSON body (or `{}`). */
export async function postForm(
  api: string,
  path: string,
  fields: Readonly<Record<string, string>>,
): Promise<{ status: number; headers: Headers; body: Record<string, unknown> }> {
  const r = await fetch(`${api}/${path}`, {
    method: 'POST',
    headers: { 'content-type': 'application/x-www-form-urlencoded' },
    body: new URLSearchParams(fields),
  });
  const text = await r.text();
  let body: Record<string, unknown> = {};
  try {
    body = text ? (JSON.parse(text) as Record<string, unknown>) : {};
  } catch {
    body = { unparsed: text };
  }
  return { status: r.status, headers: r.headers, body };
}

/** A JSON call as `who` (in `organization`): status and body. */
export async function callAs(
  api: string,
  method: string,
  path: string,
  who: string,
  organization?: string,
  body?: unknown,
): Promise<{ status: number; body: Record<string, unknown> }> {
  const r = await fetch(`${api}/${path}`, {
    method,
    headers: {
      ...as(who, organization),
      ...(body === undefined ? {} : { 'content-type': 'application/json' }),
    },
    ...(body === undefined ? {} : { body: JSON.stringify(body) }),
  });
  const text = await r.text();
  return { status: r.status, body: text ? (JSON.parse(text) as Record<string, unknown>) : {} };
}

/** An MCP `tools/list` with `token` (and `headers`): the HTTP status. */
export async function mcpStatus(
  api: string,
  token: string,
  headers: Readonly<Record<string, string>> = {},
): Promise<number> {
  const r = await fetch(`${api}/mcp`, {
    method: 'POST',
    headers: {
      authorization: `Bearer ${token}`,
      'content-type': 'application/json',
      accept: 'application/json, text/event-stream',
      'mcp-protocol-version': '2025-06-18',
      ...headers,
    },
    body: JSON.stringify({ jsonrpc: '2.0', id: 1, method: 'tools/list', params: {} }),
  });
  await r.arrayBuffer();
  return r.status;
}
