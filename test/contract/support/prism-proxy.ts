/**
 * `prism proxy --errors` (Stoplight Prism, which checks each request and response against the document) in front of
 * `atakora dev` serving `entry`: the document as the dev server serves it, and a `call` that records every answer
 * Prism flags (its `sl-violations` header, or a problem of its own).
 *
 * Prism runs in this process: the server its CLI's `proxy` command starts (@stoplight/prism-cli's
 * util/createServer.js: `getHttpOperationsFromSpec`, then prism-http-server's `createServer` with the proxy config
 * below), without the CLI's process around it. A process per proxy cost ~3 CPU-seconds (the CLI's start and its
 * log lines, each through jsonrepair and signale) six times a run; in the worker, Prism's modules load once
 * (docs/performance.md, "The suite"). The modules come from the CLI's own dependencies, so the versions are the
 * ones `prism` runs.
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join, resolve } from 'node:path';
import { type DevSession, startDev } from '../../../src/cli/dev/session/session.js';
import { undeclaredHeaders } from './declared-headers.js';
import { expect } from 'vitest';

const root = resolve(import.meta.dirname, '../../..');

export interface Answer {
  readonly status: number;
  readonly body: unknown;
  readonly violations: string | null;
}

export interface PrismProxy {
  readonly base: string;
  /** `atakora dev`'s own URL, behind Prism (where a stand-in delivers what Prism need not see). */
  readonly upstream: string;
  /** Every flagged answer so far, as `METHOD path → status violations`. */
  readonly violations: string[];
  /** Every response header the runtime sent that the document does not declare for that answer. */
  readonly undeclared: string[];
  call(
    method: string,
    path: string,
    body?: unknown,
    headers?: Record<string, string>,
  ): Promise<Answer>;
  stop(): Promise<void>;
}

/** What this file uses of Prism's server packages (plain CommonJS here, so typed here). */
interface PrismServer {
  listen(port: number, host: string): Promise<string>;
  close(): Promise<void>;
}
interface PrismModules {
  http: { getHttpOperationsFromSpec(document: string): Promise<readonly unknown[]> };
  server: {
    createServer(
      operations: readonly unknown[],
      options: { cors: boolean; config: unknown; components: { logger: unknown } },
    ): PrismServer;
  };
  core: { createLogger(name: string, options: { level: string }): { child(b: object): unknown } };
}
let modules: PrismModules | undefined;
/** Prism's packages as its CLI resolves them, loaded once per worker. */
function prism(): PrismModules {
  if (modules) return modules;
  const cli = createRequire(import.meta.url).resolve('@stoplight/prism-cli/package.json');
  const load = createRequire(cli);
  modules = {
    http: load('@stoplight/prism-http') as PrismModules['http'],
    server: load('@stoplight/prism-http-server') as PrismModules['server'],
    core: load('@stoplight/prism-core') as PrismModules['core'],
  };
  return modules;
}

/**
 * Prism's proxy server for `document` in front of `upstream`, listening on a free port of 127.0.0.1, configured as
 * `prism proxy <document> <upstream> --errors` configures it (createServer.js's `shared` and proxy config with the
 * command's defaults: request validation on, CORS on, no upstream proxy). Only its log is left out (level silent):
 * the test reads Prism's verdicts from its answers, not its log.
 */
async function startPrism(
  document: string,
  upstream: string,
): Promise<{ base: string; server: PrismServer }> {
  const { http, server, core } = prism();
  const operations = await http.getHttpOperationsFromSpec(document);
  if (operations.length === 0) throw new Error(`Prism found no operations in ${document}`);
  const logger = core.createLogger('CLI', { level: 'silent' });
  const running = server.createServer(operations, {
    cors: true,
    config: {
      validateRequest: true,
      validateResponse: true,
      checkSecurity: true,
      errors: true,
      mock: { dynamic: false, ignoreExamples: false, seed: undefined },
      isProxy: true,
      upstream: new URL(upstream),
      upstreamProxy: undefined,
    },
    components: { logger: logger.child({ name: 'HTTP SERVER' }) },
  });
  return { base: await running.listen(0, '127.0.0.1'), server: running };
}

export async function startPrismProxy(entry: string): Promise<PrismProxy> {
  const work = mkdtempSync(join(root, '.tmp-openapi-prism-'));
  const dev: DevSession = await startDev(entry, { log: () => undefined, quietWorkers: true });
  let proxy: PrismServer | undefined;
  let base = '';
  let document: Record<string, unknown> = {};
  let upstream = '';
  const stop = async () => {
    await proxy?.close();
    await dev.stop();
    rmSync(work, { recursive: true, force: true });
  };
  try {
    upstream = dev.apps[0]!.url;
    const doc = join(work, 'openapi.json');
    const text = await (await fetch(`${upstream}/api/openapi.json`)).text();
    document = JSON.parse(text) as Record<string, unknown>;
    writeFileSync(doc, text);
    const started = await startPrism(doc, upstream);
    proxy = started.server;
    base = started.base;
  } catch (e) {
    await stop();
    throw e;
  }
  const violations: string[] = [];
  const undeclared: string[] = [];
  const call = async (
    method: string,
    path: string,
    body?: unknown,
    headers: Record<string, string> = {},
  ): Promise<Answer> => {
    const r = await fetch(base + path, {
      method,
      headers: {
        ...(body === undefined ? {} : { 'content-type': 'application/json' }),
        ...headers,
      },
      ...(body === undefined ? {} : { body: JSON.stringify(body) }),
    });
    const text = await r.text();
    const parsed: unknown = text ? JSON.parse(text) : undefined;
    const answer = { status: r.status, body: parsed, violations: r.headers.get('sl-violations') };
    // Prism's own answers (its problem types) and its violation header are what the document failed to say.
    const type = (parsed as { type?: unknown } | undefined)?.type;
    if (answer.violations || (typeof type === 'string' && type.includes('stoplight.io/prism')))
      violations.push(`${method} ${path} → ${String(r.status)} ${answer.violations ?? text}`);
    else undeclared.push(...undeclaredHeaders(document, method, path, r.status, r.headers));
    return answer;
  };
  return { base, upstream, violations, undeclared, call, stop };
}

/** The headers `atakora dev` signs `email` in with, in organization `org` when given (its tenant header). */
export function devUser(email: string, org?: string): Record<string, string> {
  return { 'x-atakora-dev-user': email, ...(org ? { 'x-atakora-tenant': org } : {}) };
}

/**
 * `POST /api/tenants` through Prism as `email` (it must answer 201): the new organization's id and its Owner's
 * headers in it, as every organization test starts.
 *
 * @example
 * ```ts
 * const { org, owner } = await createOrganization(proxy.call, 'Prism Co', 'olga@example.com');
 * ```
 */
export async function createOrganization(
  call: PrismProxy['call'],
  name: string,
  email: string,
): Promise<{ org: string; owner: Record<string, string> }> {
  const created = await call('POST', '/api/tenants', { name }, devUser(email));
  expect(created.status).toBe(201);
  const org = (created.body as { id: string }).id;
  return { org, owner: devUser(email, org) };
}
