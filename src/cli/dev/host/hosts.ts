import {
  MARKETPLACE_API_SETTING,
  MARKETPLACE_LANDING_ROUTE,
  MARKETPLACE_WEBHOOK_ROUTE,
} from '../../../model/marketplace.js';
import { EMAIL_ENDPOINT_SETTING, OUTBOX_DIR_SETTING } from '../../../model/email.js';
import { OPENAI_ENDPOINT_SETTING } from '../../../model/embedding-models.js';
import { spawn, type ChildProcess } from 'node:child_process';
import { STRIPE_API_BASE_SETTING } from '../../../model/billing.js';
import { DNS_SERVER_SETTING } from '../../../contract/domains/domains.js';
import { readdirSync, rmSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join, sep } from 'node:path';
import type { PlannedResource } from '../../../model/plan.js';
import {
  ACCEPT_URL_SETTING,
  MANIFEST_SETTING,
  STRIPE_WEBHOOK_ROUTE,
  type RuntimeManifest,
} from '../../../model/runtime-manifest.js';
import { libraryModule } from '../../../kit/node/library-files.js';
import { DEV_QUIET_ENV, LIFELINE_STDIO } from './lifeline.js';
import { anonymousPaths, SCIM_EXCLUDED_PATHS } from '../../../resources/functions/auth-settings.js';
import { manifestDoorPaths } from '../../../resources/functions/door/door-paths.js';
import { mergedConfigOf } from '../../../resources/types.js';
import { CHANGE_DELIVERY_SETTING } from '../../../runtime/events/change-dispatch.js';
import { CHANGE_DEADLINE_SETTING } from '../../../runtime/events/change-deadline.js';
import { DEV_ADMIN_KEY_ENV, DEV_ANONYMOUS_ENV, DEV_AUTH_ENV } from '../loopback/guard.js';
import { DEV_AGENT_CLIENTS_LOCAL_SETTING } from '../../../contract/mcp/oauth/agents.js';
import { AGENT_SIGNING_KEY_SETTING } from '../../../runtime/members/agents/agent-keys.js';
import { DISCOVERY_ROUTES, OAUTH_ROUTES } from '../../../contract/mcp/oauth/metadata.js';
import { DEV_SEED_KEY_ENV, DEV_SEED_URL_ENV } from '../seed/tenant-seed-signal.js';
import {
  DEV_ORIGINS_ENV,
  DEV_TENANT_CLAIM_ENV,
  DEV_USER_ENV,
  DEV_EMAIL_USERS_ENV,
  emailUserOf,
  type DevUser,
} from '../sign-in/sign-in.js';
import { DEV_TRACES_SWITCH, OTEL_VARIABLES } from '../traces/traces.js';
import { hostBundleOptions } from './host-bundle.js';
import { processAlive } from '../../../kit/node/processes.js';

/** One function of a served app, as the dev worker indexed it (route and methods as registered). */
export interface DevFunction {
  readonly name: string;
  readonly type: string;
  readonly route?: string;
  readonly methods?: string[];
  readonly queueName?: string;
  readonly schedule?: string;
}

// The Function App hosts of `atakora dev`: one worker process per app (host.ts runs in it), started with the
// environment the app has in Azure plus dev's stand-ins, and stopped on reload and at stop.

/** What a worker reports once it serves: its port and the functions its package registered. */
export interface WorkerReady {
  readonly port: number;
  readonly functions: DevFunction[];
}

/** What every worker of a session shares: the stand-ins it reaches and the callers it lets in. */
export interface WorkerContext {
  /** Folder of the stand-in `@azure/functions-core` (dev/functions-core.ts). */
  readonly nodePath: string;
  /** The dev managed-identity endpoint (dev/identity.ts). */
  readonly identity: { readonly endpoint: string; readonly secret: string };
  /**
   * The certificates trusted beside the system's: the loopback services' certificate, and those of the user's own
   * `NODE_EXTRA_CA_CERTS` when set (loopback/trust-bundle.ts).
   */
  readonly certFile: string;
  /** Variables read as if exported, over the environment (DevOptions.env): a stand-in's address. */
  readonly env?: Readonly<Record<string, string>>;
  readonly user: DevUser;
  readonly adminKey: string;
  readonly origins: readonly string[];
  readonly tenantClaim: string;
  readonly auth: boolean;
  /**
   * Tenants by membership: users named by an email sign in with that verified email (`true`); with a customer
   * sign-in, the external tenant's id they (and dev's own users) sign in from.
   */
  readonly emailUsers?: boolean | string;
  /** The local outbox every e-mail goes to (`<state folder>/.atakora/outbox`), never the network. */
  readonly outboxDir?: string;
  /** Dev's seeding endpoint a tenant's first request asks (dev/seed.ts), when the session seeds. */
  readonly seed?: { readonly url: string; readonly key: string } | undefined;
  /** Tenants by membership: dev's site invitation links open, instead of the deployed one's. */
  readonly acceptUrl?: string | undefined;
}

/** Stripe's webhook, exempt from sign-in as in Azure (auth-settings.ts) when the app's manifest has subscriptions. */
function webhookPaths(settings: Readonly<Record<string, string>>, auth: boolean): string[] {
  try {
    const manifest = JSON.parse(settings[MANIFEST_SETTING] ?? '{}') as RuntimeManifest;
    const registry = manifest.auth?.registry;
    return [
      // The runtime's door, as in Azure (resources/functions/door/door-paths.ts): api/mcp for agents' own tokens, the data routes
      // for API keys. Dev's sign-in still vouches for a trusted request there (it stands in for Entra's tokens);
      // anyone else reaches the runtime unsigned-in, and the runtime answers as it does deployed.
      ...(auth && Array.isArray(manifest.entities) ? manifestDoorPaths(manifest) : []),
      // The backend as its own authorization server: its token and revocation endpoints take no sign-in (a client
      // authenticates there by what it holds: the code and its verifier, the refresh token; RFC 6749 §3.2).
      ...(manifest.mcp?.authorization
        ? [
            `/api/${OAUTH_ROUTES.token}`,
            `/api/${OAUTH_ROUTES.revoke}`,
            // Their discovery documents and public keys, as in Azure (auth-settings.ts).
            ...Object.values(DISCOVERY_ROUTES).map((r) => `/api/${r}`),
          ]
        : []),
      // RFC 7591 registration, with `registration` on: open to clients no one knows yet, as in Azure.
      ...(manifest.mcp?.authorization?.registration ? [`/api/${OAUTH_ROUTES.register}`] : []),
      ...(registry?.billing?.subscriptions ? [`/api/${STRIPE_WEBHOOK_ROUTE}`] : []),
      // Sold on Azure Marketplace: the landing page and Microsoft's webhook, as in Azure (auth-settings.ts).
      ...(registry?.marketplace
        ? [`/api/${MARKETPLACE_LANDING_ROUTE}`, `/api/${MARKETPLACE_WEBHOOK_ROUTE}`]
        : []),
    ];
  } catch {
    return [];
  }
}

/**
 * The environment of one app's worker: its app settings as in Azure, then dev's stand-ins (identity endpoint,
 * sign-in, admin key, CORS origins, the anonymous paths App Service authentication lets through).
 *
 * @example
 * ```ts
 * const env = workerEnv(app, settings, context);
 * ```
 */
export function workerEnv(
  app: PlannedResource,
  settings: Readonly<Record<string, string>>,
  c: WorkerContext,
): Record<string, string> {
  return {
    ...settings,
    PATH: process.env['PATH'] ?? '',
    NODE_PATH: c.nodePath,
    IDENTITY_ENDPOINT: c.identity.endpoint,
    IDENTITY_HEADER: c.identity.secret,
    [DEV_USER_ENV]: JSON.stringify(
      c.emailUsers
        ? emailUserOf(c.user, typeof c.emailUsers === 'string' ? c.emailUsers : undefined)
        : c.user,
    ),
    ...(c.emailUsers ? { [DEV_EMAIL_USERS_ENV]: c.emailUsers === true ? '1' : c.emailUsers } : {}),
    [DEV_ORIGINS_ENV]: c.origins.join(','),
    ...(c.acceptUrl ? { [ACCEPT_URL_SETTING]: c.acceptUrl } : {}),
    [DEV_TENANT_CLAIM_ENV]: c.tenantClaim,
    [DEV_ADMIN_KEY_ENV]: c.adminKey,
    [DEV_AUTH_ENV]: c.auth ? '1' : '0',
    ...(c.seed ? { [DEV_SEED_URL_ENV]: c.seed.url, [DEV_SEED_KEY_ENV]: c.seed.key } : {}),
    // What App Service authentication lets through in Azure (excludedPaths): the anonymous functions' paths.
    // With tenants by membership (emailUsers is set exactly then) the runtime's invitation preview and the SCIM
    // routes (their SCIM token is checked by the runtime) too, and a Stripe webhook (signed, not signed in).
    [DEV_ANONYMOUS_ENV]: [
      ...anonymousPaths(mergedConfigOf('functions', app).hostedFunctions),
      ...(c.emailUsers ? ['/api/invitations/preview', ...SCIM_EXCLUDED_PATHS] : []),
      ...webhookPaths(settings, c.auth),
    ].join(','),
    // The loopback services' certificate, trusted beside the system's with checks on: the handlers hold the
    // secrets, and every other host they call is verified as in Azure. The user's own NODE_EXTRA_CA_CERTS is in
    // the same file (Node reads one path: loopback/trust-bundle.ts).
    NODE_EXTRA_CA_CERTS: c.certFile,
    NODE_NO_WARNINGS: '1',
    // Agents' metadata documents on loopback (a developer's own client, dev's stand-ins): allowed under dev only.
    [DEV_AGENT_CLIENTS_LOCAL_SETTING]: '1',
    // The agents' signing key when one is given (`atakora verify` signs its agent column's token with it; a developer
    // keeps tokens valid across restarts); else each worker makes its own (members/agents/agent-keys.ts).
    ...((c.env?.[AGENT_SIGNING_KEY_SETTING] ?? process.env[AGENT_SIGNING_KEY_SETTING])
      ? {
          [AGENT_SIGNING_KEY_SETTING]:
            c.env?.[AGENT_SIGNING_KEY_SETTING] ?? process.env[AGENT_SIGNING_KEY_SETTING] ?? '',
        }
      : {}),
    // As in Azure: the app's name (the traces' service.name).
    WEBSITE_SITE_NAME: app.name,
    // An OTLP endpoint of the developer's (the Aspire dashboard, Jaeger): the worker exports its spans there; or
    // tracing switched off.
    ...Object.fromEntries(
      [...OTEL_VARIABLES, DEV_TRACES_SWITCH].flatMap((k) =>
        process.env[k] ? [[k, process.env[k]]] : [],
      ),
    ),
    // A Stripe stand-in of the developer's for the billing timer (tenants.billing; docs/billing.md).
    ...((c.env?.[STRIPE_API_BASE_SETTING] ?? process.env[STRIPE_API_BASE_SETTING])
      ? {
          [STRIPE_API_BASE_SETTING]:
            c.env?.[STRIPE_API_BASE_SETTING] ?? process.env[STRIPE_API_BASE_SETTING] ?? '',
        }
      : {}),
    // A Marketplace stand-in of the developer's for both services it stands in for: the SaaS and metering APIs and
    // the publisher tenant's Entra endpoints (tenants.billing.marketplace; docs/billing.md).
    ...(process.env[MARKETPLACE_API_SETTING]
      ? { [MARKETPLACE_API_SETTING]: process.env[MARKETPLACE_API_SETTING] }
      : {}),
    // Invitation e-mail (tenants.email): the local outbox, unless the developer names an ACS Email stand-in, which
    // is then reached through the same SDK call as in Azure (runtime/email/email-sender.ts).
    ...(c.outboxDir ? { [OUTBOX_DIR_SETTING]: c.outboxDir } : {}),
    ...(process.env[EMAIL_ENDPOINT_SETTING]
      ? { [EMAIL_ENDPOINT_SETTING]: process.env[EMAIL_ENDPOINT_SETTING] }
      : {}),
    // Embeddings (search.vector.embed): the local deterministic embedder, unless the developer names an Azure
    // OpenAI stand-in, which is then called through the same SDK call as in Azure (runtime/embed/embedder-of.ts).
    ...(process.env[OPENAI_ENDPOINT_SETTING]
      ? { [OPENAI_ENDPOINT_SETTING]: process.env[OPENAI_ENDPOINT_SETTING] }
      : {}),
    // A DNS server of the developer's for verified domains' TXT proofs (docs/enterprise.md).
    ...(process.env[DNS_SERVER_SETTING]
      ? { [DNS_SERVER_SETTING]: process.env[DNS_SERVER_SETTING] }
      : {}),
    // The local Cosmos DB server has no change feed: the runtime calls onChange handlers after each write.
    [CHANGE_DELIVERY_SETTING]: 'inline',
    // The handlers' deadline after a write (default 10 s), when the developer sets one for dev.
    ...(process.env[CHANGE_DEADLINE_SETTING]
      ? { [CHANGE_DEADLINE_SETTING]: process.env[CHANGE_DEADLINE_SETTING] }
      : {}),
  };
}

/**
 * Start one app's worker on `port` (0: any free port) over its unpacked package and wait until it serves. `quiet`:
 * no one reads what it writes (DevOptions.quietWorkers), so it loads no source maps and its functions log nothing.
 *
 * @example
 * ```ts
 * const { child, ready } = await startWorker(wwwroot, 7071, env, console.error);
 * ```
 */
export async function startWorker(
  appDir: string,
  port: number,
  env: Record<string, string>,
  log: (l: string) => void,
  quiet = false,
): Promise<{ child: ChildProcess; ready: WorkerReady }> {
  // Source maps on: a handler's stack trace names the user's file and line, not the bundle's. Node 20 reads and
  // parses every loaded module's map as it loads (the app's ~4 MB beside its ~3 MB bundle): for a quiet worker, whose
  // stack traces no one reads, that is ~0.1–0.2 CPU-s a start for nothing (docs/performance.md, "fifth pass").
  const args = [...(quiet ? [] : ['--enable-source-maps']), await workerHost()];
  const child = spawn(process.execPath, [...args, appDir, String(port)], {
    cwd: appDir,
    env: quiet ? { ...env, [DEV_QUIET_ENV]: '1' } : env,
    stdio: LIFELINE_STDIO,
  });
  child.stderr.on('data', (d: Buffer) => {
    for (const l of d.toString().split('\n').filter(Boolean)) log(l);
  });
  const ready = await new Promise<WorkerReady>((resolve, reject) => {
    let buffer = '';
    child.stdout.on('data', (d: Buffer) => {
      buffer += d.toString();
      const lines = buffer.split('\n');
      buffer = lines.pop() ?? '';
      for (const l of lines) {
        if (l.startsWith('@@READY@@'))
          resolve(JSON.parse(l.slice('@@READY@@'.length)) as WorkerReady);
        else if (l) log(l);
      }
    });
    child.once('exit', (code) => {
      reject(new Error(`the dev worker for ${appDir} exited (${String(code)}) before serving`));
    });
  });
  return { child, ready };
}

/**
 * The file a worker process runs: dist's `host.js`, or from the sources the host built as the build bundles it.
 *
 * @example
 * ```ts
 * spawn(process.execPath, [await workerHost(), appDir, '0']);
 * ```
 */
export async function workerHost(): Promise<string> {
  const host = libraryModule('cli', 'dev', 'host', 'host');
  return host.endsWith('.js') ? host : hostFromSources(host);
}

/**
 * From src/ (tests, tsx) the host is TypeScript: built once per process with esbuild, as the build bundles dist's
 * (host-bundle.ts: the same options, its chunks loaded only when used), beside the packages it imports
 * (`node_modules/.cache/`, so they resolve), and run by plain Node as dist's `host.js` is. Not through tsx: its
 * loader rewrites every ES module that holds a dynamic `import(` — a package's `index.js` among them — with a
 * source map of its own, and the package's map (the user's files) would be lost.
 */
function hostFromSources(host: string): Promise<string> {
  builtHost ??= buildHost(host).catch((e: unknown) => {
    builtHost = undefined;
    throw e;
  });
  return builtHost;
}
let builtHost: Promise<string> | undefined;

const existing = (folder: string): string[] => {
  try {
    return readdirSync(folder);
  } catch {
    return [];
  }
};

async function buildHost(host: string): Promise<string> {
  const modules = join(host.slice(0, host.lastIndexOf(`${sep}src${sep}`)), 'node_modules');
  const folder = join(modules, '.cache', 'atakora', 'dev-host');
  const outdir = join(folder, `host-${String(process.pid)}`);
  process.once('exit', () => {
    rmSync(outdir, { recursive: true, force: true });
  });
  // A process ended by a signal (vitest stops its workers so) runs no 'exit' listener: its build is removed here.
  for (const name of existing(folder)) {
    const pid = /^host-(\d+)(\.mjs)?$/.exec(name)?.[1];
    if (pid !== undefined && !processAlive(Number(pid)))
      rmSync(join(folder, name), { recursive: true, force: true });
  }
  const esbuild = createRequire(import.meta.url)('esbuild') as typeof import('esbuild');
  await esbuild.build(hostBundleOptions(host, outdir, { sourcemap: 'inline', logLevel: 'silent' }));
  return join(outdir, 'host.js');
}

/**
 * Stop a worker and wait for its exit.
 *
 * @example
 * ```ts
 * for (const w of workers) await stopWorker(w);
 * ```
 */
export function stopWorker(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null) return Promise.resolve();
  return new Promise((resolve) => {
    child.once('exit', () => {
      resolve();
    });
    child.kill('SIGTERM');
  });
}
