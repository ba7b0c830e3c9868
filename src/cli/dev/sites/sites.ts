import { AtakoraFault } from '../../../model/fault.js';
import { createReadStream, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import { keepIdleConnections } from '../../../kit/node/keep-alive.js';
import type { AddressInfo } from 'node:net';
import { dirname, join, resolve } from 'node:path';
import type { JsonValue, PlannedComponent, ResourcePlan } from '../../../model/plan.js';
import type { AtakoraSiteConfig } from '../../../model/site-config.js';
import {
  isSiteComponent,
  siteConfigFileName,
  siteConfigOf,
} from '../../../kit/pure/site-config.js';
import { apiOriginsOf, siteWebAppConfig } from '../../../kit/pure/site-headers.js';
import { DEV_USER_HEADER, type DevUser } from '../sign-in/sign-in.js';
import { contentTypeOf, siteFileFor } from '../../shared/site-files.js';
import { runSiteBuild } from '../../shared/site-build.js';
import type { SitePortMemory } from './site-ports.js';
import { servedApiUrl, servedEndpoints } from './served-apis.js';
import { serveElements } from './elements-route.js';

/** A site `atakora dev` serves: banner line `site <componentId> <url>`. */
export interface DevSite {
  readonly componentId: string;
  readonly key: string;
  /** `http://127.0.0.1:<port>/` */
  readonly url: string;
  /** The folder served (absolute). */
  readonly root: string;
}

/** The sites of a dev session: one local server each, kept (same port) across reloads. */
export interface DevSiteHost {
  readonly sites: readonly DevSite[];
  /** The browser origins of the sites, for the API's dev CORS. */
  readonly origins: readonly string[];
  /** Serve the sites of `plan` (start servers for new ones, build missing content once); returns {@link origins}. */
  update(plan: ResourcePlan): Promise<readonly string[]>;
  /** Write each site's configuration to its `configExportPath` (after the apps have their URLs). */
  exportConfigs(): void;
  /**
   * The base URL of each component with an API as served now, by component key: a CrudApi's or FileStore's
   * (`{ notes: 'http://127.0.0.1:7071/api/notes' }`, the `apis` every site's `atakora.config.json` names) and a
   * FunctionsApp's (its app's origin, which the typed client takes for its functions). Empty before the first plan.
   */
  endpoints(): Readonly<Record<string, string>>;
  stop(): Promise<void>;
}

interface SiteState {
  component: PlannedComponent;
  site: DevSite;
  server: Server;
}

/**
 * Serve each static site of the backend locally, as Static Web Apps serves it: the files of its content
 * folder (`sourceDirectory`, or the build output), `atakora.config.json` generated for the local API and the
 * dev sign-in, the security headers of its `staticwebapp.config.json` (generated, merged with the site's own),
 * SPA fallback when the site asks for it, and nothing outside the folder.
 *
 * @example
 * ```ts
 * const host = createDevSites({ user, apps: () => session.apps, log: console.error });
 * await host.update(plan); host.sites[0]!.url; // 'http://127.0.0.1:41234/'
 * ```
 */
export function createDevSites(options: {
  readonly user: DevUser;
  readonly apps: () => readonly { readonly name: string; readonly url: string }[];
  readonly log: (line: string) => void;
  readonly port?: number;
  readonly cwd?: string;
  readonly fileOrigins?: () => readonly string[];
  /** The realtime hub's WebSocket origin (cli/dev/realtime/hub.ts), for the pages' `connect-src`. */
  readonly socketOrigins?: () => readonly string[];
  /** Each site's port of the last run, tried first when no `port` is given (site-ports.ts). */
  readonly ports?: SitePortMemory;
}): DevSiteHost {
  const cwd = options.cwd ?? process.cwd();
  const states = new Map<string, SiteState>();
  const built = new Set<string>();
  let plan: ResourcePlan | undefined;

  const configOf = (key: string): AtakoraSiteConfig => {
    const current = plan;
    if (current === undefined)
      throw new AtakoraFault(`dev: the config of site ${key} was asked for before any plan.`);
    return siteConfigOf(current, key, {
      apiUrl: servedApiUrl(current, options.apps()),
      dev: { userHeader: DEV_USER_HEADER, user: `${options.user.oid}@${options.user.tid}` },
    });
  };

  const host: DevSiteHost = {
    endpoints: () =>
      plan === undefined ? {} : servedEndpoints(plan, options.apps(), configOf('').apis),
    get sites() {
      return [...states.values()].map((s) => s.site);
    },
    get origins() {
      return [...states.values()]
        .flatMap((s) => {
          const port = new URL(s.site.url).port;
          return [`http://127.0.0.1:${port}`, `http://localhost:${port}`];
        })
        .sort();
    },
    async update(next) {
      plan = next;
      const components = next.components.filter(
        (c) => isSiteComponent(c) && typeof c.outputs['sourceDirectory'] === 'string',
      );
      let port = options.port;
      for (const c of components) {
        const root = contentRoot(c, cwd);
        await buildWhenMissing(c, root, cwd, built, options.log);
        const existing = states.get(c.key);
        if (existing) {
          existing.component = c;
          existing.site = { ...existing.site, root };
          continue;
        }
        const state = {
          component: c,
          site: { componentId: c.id, key: c.key, url: '', root },
        } as SiteState;
        state.server = keepIdleConnections(
          createServer((req, res) => {
            serveSite(
              state,
              req,
              res,
              configOf(c.key),
              options.fileOrigins?.() ?? [],
              options.socketOrigins?.() ?? [],
            );
          }),
        );
        const listening = await listenOn(state.server, c.id, port, options.ports, options.log);
        if (port !== undefined && port !== 0) port += 1;
        options.ports?.remember(c.id, listening);
        state.site = { ...state.site, url: `http://127.0.0.1:${String(listening)}/` };
        states.set(c.key, state);
      }
      for (const [key, state] of [...states]) {
        if (!components.some((c) => c.key === key)) {
          await close(state.server);
          states.delete(key);
        }
      }
      return host.origins;
    },
    exportConfigs() {
      for (const s of states.values()) {
        const target = s.component.outputs['configExportPath'];
        if (typeof target !== 'string') continue;
        const file = resolve(cwd, target);
        mkdirSync(dirname(file), { recursive: true });
        writeFileSync(file, JSON.stringify(configOf(s.component.key), null, 2) + '\n');
      }
    },
    async stop() {
      for (const s of states.values()) await close(s.server);
      states.clear();
    },
  };
  return host;
}

/**
 * The banner lines of the served sites: `site <ComponentId> http://127.0.0.1:<port>/`.
 *
 * @example
 * ```ts
 * devSiteBanner(session.sites); // ['site TeamNotesWeb http://127.0.0.1:41234/']
 * ```
 */
export function devSiteBanner(sites: readonly DevSite[]): string[] {
  return sites.map((s) => `site ${s.componentId} ${s.url}`);
}

/** The folder a site serves: `sourceDirectory[/outputDirectory]`, relative to the working directory. */
function contentRoot(c: PlannedComponent, cwd: string): string {
  const source = resolve(cwd, c.outputs['sourceDirectory'] as string);
  const out = c.outputs['outputDirectory'];
  return typeof out === 'string' ? join(source, out) : source;
}

async function buildWhenMissing(
  c: PlannedComponent,
  root: string,
  cwd: string,
  built: Set<string>,
  log: (l: string) => void,
): Promise<void> {
  const command = c.outputs['buildCommand'];
  if (typeof command !== 'string' || built.has(c.key) || siteFileFor(root, '/') !== 'missing')
    return;
  built.add(c.key);
  const out = c.outputs['outputDirectory'];
  await runSiteBuild(
    {
      componentId: c.id,
      buildCommand: command,
      sourceDirectory: c.outputs['sourceDirectory'] as string,
      ...(typeof out === 'string' ? { outputDirectory: out } : {}),
    },
    log,
    cwd,
  );
}

function serveSite(
  state: SiteState,
  req: IncomingMessage,
  res: ServerResponse,
  config: AtakoraSiteConfig,
  fileOrigins: readonly string[],
  socketOrigins: readonly string[],
): void {
  const { component, site } = state;
  const swa = siteWebAppConfig(
    component.outputs['staticWebAppConfig'] as { [k: string]: JsonValue },
    apiOriginsOf(config.apis),
    ownWebAppConfig(site.root),
    fileOrigins,
    socketOrigins,
  );
  const headers = {
    ...(swa['globalHeaders'] as Record<string, string>),
    'cache-control': 'no-cache',
  };
  // Only loopback names: a page on another site cannot reach this server through a DNS name rebound to 127.0.0.1.
  if (!LOCAL_HOST.test(req.headers.host ?? '')) {
    res
      .writeHead(403, { 'content-type': 'text/plain; charset=utf-8' })
      .end('atakora dev answers localhost only.\n');
    return;
  }
  const method = (req.method ?? 'GET').toUpperCase();
  if (method !== 'GET' && method !== 'HEAD') {
    res.writeHead(405, { ...headers, allow: 'GET, HEAD' }).end();
    return;
  }
  // The path as sent: a URL parser would resolve `..` and `%2e%2e` first, and the refusal must see them.
  const path = (req.url ?? '/').replace(/[?#].*$/s, '');
  if (path === `/${siteConfigFileName(component)}`) {
    res.writeHead(200, {
      ...headers,
      'content-type': 'application/json; charset=utf-8',
      'cache-control': 'no-store',
    });
    res.end(method === 'HEAD' ? undefined : JSON.stringify(config, null, 2));
    return;
  }
  if (serveElements(path, req, res, headers, config)) return;
  const index = indexOf(swa);
  // Static Web Apps never serves its configuration file.
  const found =
    path === '/staticwebapp.config.json' ? 'missing' : siteFileFor(site.root, path, index);
  if (found === 'refused') {
    res
      .writeHead(400, { ...headers, 'content-type': 'text/plain; charset=utf-8' })
      .end('Bad path.\n');
    return;
  }
  if (found !== 'missing') {
    sendFile(res, found.file, 200, headers, method);
    return;
  }
  const fallback = swa['navigationFallback'] as
    | { rewrite?: string; exclude?: string[] }
    | undefined;
  if (fallback?.rewrite && !(fallback.exclude ?? []).some((p) => globMatches(p, path))) {
    const target = siteFileFor(site.root, fallback.rewrite, index);
    if (typeof target === 'object') {
      sendFile(res, target.file, 200, headers, method);
      return;
    }
  }
  const notFound = (swa['responseOverrides'] as { '404'?: { rewrite?: string } } | undefined)?.[
    '404'
  ]?.rewrite;
  const page = notFound ? siteFileFor(site.root, notFound, index) : 'missing';
  if (typeof page === 'object') {
    sendFile(res, page.file, 404, headers, method);
    return;
  }
  res
    .writeHead(404, { ...headers, 'content-type': 'text/plain; charset=utf-8' })
    .end(`Not found: ${path}\n`);
}

const LOCAL_HOST = /^(127\.0\.0\.1|localhost|\[::1\])(:\d+)?$/i;

function indexOf(swa: { [k: string]: JsonValue }): string {
  const routes = swa['routes'] as { route?: string; rewrite?: string }[] | undefined;
  return routes?.find((r) => r.route === '/')?.rewrite?.replace(/^\//, '') ?? 'index.html';
}

/** The site's own `staticwebapp.config.json`, when its folder has one (read on each request: edits show at once). */
function ownWebAppConfig(root: string): { [k: string]: JsonValue } {
  try {
    const value = JSON.parse(
      readFileSync(join(root, 'staticwebapp.config.json'), 'utf8'),
    ) as unknown;
    return value && typeof value === 'object' && !Array.isArray(value)
      ? (value as { [k: string]: JsonValue })
      : {};
  } catch {
    return {};
  }
}

/** Static Web Apps' route globs: `*` any characters, `{a,b}` either. */
function globMatches(pattern: string, path: string): boolean {
  const source = pattern
    .replace(/[.+^$()|[\]\\]/g, '\\$&')
    .replace(/\*/g, '.*')
    .replace(/\{([^}]*)\}/g, (_m, alts: string) => `(${alts.split(',').join('|')})`);
  return new RegExp(`^${source}$`).test(path);
}

function sendFile(
  res: ServerResponse,
  file: string,
  status: number,
  headers: Record<string, string>,
  method: string,
): void {
  res.writeHead(status, { ...headers, 'content-type': contentTypeOf(file) });
  if (method === 'HEAD') {
    res.end();
    return;
  }
  createReadStream(file)
    .on('error', () => {
      res.destroy();
    })
    .pipe(res);
}

/**
 * Listen where the site should be: the port `--port` numbering gives, else the site's port of the last run — or,
 * when another process holds that one now, any free port, saying so (tabs opened on the old one must be reopened).
 */
async function listenOn(
  server: Server,
  componentId: string,
  port: number | undefined,
  ports: SitePortMemory | undefined,
  log: (line: string) => void,
): Promise<number> {
  if (port !== undefined) return listen(server, port);
  const last = ports?.portOf(componentId);
  if (last === undefined) return listen(server, 0);
  try {
    return await listen(server, last);
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code !== 'EADDRINUSE') throw e;
    const now = await listen(server, 0);
    log(
      `atakora dev: site ${componentId} had port ${String(last)} last time, which another process holds now; ` +
        `it is served on ${String(now)} (reopen the tabs of http://127.0.0.1:${String(last)}/).`,
    );
    return now;
  }
}

async function listen(server: Server, port: number): Promise<number> {
  await new Promise<void>((done, fail) => {
    server.once('error', fail);
    server.listen(port, '127.0.0.1', done);
  });
  return (server.address() as AddressInfo).port;
}

function close(server: Server): Promise<void> {
  server.closeAllConnections();
  return new Promise((done) => {
    server.close(() => {
      done();
    });
  });
}
