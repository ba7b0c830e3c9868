import { type ClientOptions, createClient } from '../client/create-client.js';
import type { Client } from '../client/types.js';
import { DEFAULT_DEV_USER } from '../cli/dev/sign-in/sign-in.js';
import { AtakoraError } from '../model/errors.js';
import { type BackendInput, backendEntry, backendOf } from './backend-entry.js';
import { appUrlOf, callerHeaders, type TestCaller } from './test-callers.js';

/** Requests as one caller: raw `fetch`, or the typed client. */
export interface TestSession {
  /**
   * One request as this caller: `path` below the Function App's origin (`api/stats`), or a URL of
   * {@link TestBackend.endpoints}. The caller's sign-in (and organization) headers are set; any other are yours.
   * A `fetch` itself: give it to a client that takes one (the MCP SDK's transport: `{ fetch: alice.fetch }`).
   */
  fetch(path: string | URL, init?: RequestInit): Promise<Response>;
  /**
   * The typed client as this caller (`createClient<typeof backend>` with the stack's URLs): pass a FunctionsApp's
   * function configs as `functions` for routes and methods of their own.
   */
  client<B>(options?: Pick<ClientOptions, 'functions' | 'WebSocket'>): Client<B>;
}

/** A backend served by `atakora dev`'s stack on loopback for a test. */
export interface TestBackend {
  /**
   * The base URL of each component with an API, by key: a CrudApi's or FileStore's route
   * (`http://127.0.0.1:41234/api/notes`), a FunctionsApp's origin.
   */
  readonly endpoints: Readonly<Record<string, string>>;
  /** Requests as `caller`, or as nobody (`'anonymous'`: no principal, as a request without a token). */
  as(caller: TestCaller | 'anonymous'): TestSession;
  /** Stop the workers and the local services; the data is gone with them. */
  stop(): Promise<void>;
}

/** Options of {@link startBackend}. */
export interface StartBackendOptions {
  /** Serve the backend as in this environment; default its config's. */
  readonly environment?: string;
  /**
   * Each line the workers write (your handlers' logs, stack traces); default none — and then the workers load no
   * source maps and log no line per request, as no one reads them.
   */
  readonly log?: (line: string) => void;
}

/**
 * Serve `backend` for a test as `atakora dev` serves it — each Function App's package built as deploy builds it
 * and loaded by a worker, a local Cosmos DB server with fresh data, dev's sign-in — on free loopback ports, and
 * call it as any caller: your HTTP functions with their `dataOf(request)` run as that caller through the same
 * pipeline as the REST routes. Needs the optional peer `@vercel/cosmosdb-server` when the backend has a CrudApi.
 * Handler paths are relative to the working directory, as for apply. Always `stop()` it (an `afterAll`).
 *
 * @example
 * ```ts
 * import { startBackend } from '@atakora/component/testing';
 * import type { Backend } from '@atakora/component/backend';
 * // In a vitest test (allow it a minute to start): a handler's dataOf sees only alice's directory.
 * async function statsOfAlice(backend: Backend) {
 *   const t = await startBackend(backend);
 *   try {
 *     const alice = t.as({ user: 'alice', directory: 'contoso', roles: ['Agent'] });
 *     const r = await alice.fetch('api/ticket-stats');
 *     return (await r.json()) as unknown;
 *   } finally {
 *     await t.stop();
 *   }
 * }
 * ```
 */
export async function startBackend(
  given: BackendInput,
  options: StartBackendOptions = {},
): Promise<TestBackend> {
  const backend = backendOf(given, 'startBackend');
  // The backend's own directory: dev's session user signs in there (a directory auth.allowedTenants admits), and a
  // caller naming no directory is one of its users.
  const { tenantId, allowedTenants } = backend.config.auth;
  const home =
    tenantId ??
    (typeof allowedTenants === 'object' ? allowedTenants[0] : undefined) ??
    DEFAULT_DEV_USER.tid;
  const entry = backendEntry(backend);
  let dev: Awaited<ReturnType<typeof import('../cli/dev/session/session.js').startDev>>;
  try {
    // Loaded on first use: the other helpers (synthBackend) never pull in dev's stack.
    const { startDev } = await import('../cli/dev/session/session.js');
    dev = await startDev(entry.path, {
      user: { ...DEFAULT_DEV_USER, tid: home },
      // Any free port for each site, none remembered: a test leaves no state file in the project.
      sitePort: 0,
      log: options.log ?? (() => undefined),
      // Without a log no one reads the workers: no source maps loaded, no line per request written (session.ts).
      quietWorkers: options.log === undefined,
      ...(options.environment !== undefined ? { environment: options.environment } : {}),
    });
  } catch (e) {
    entry.remove();
    throw e;
  } finally {
    // dev has loaded it (or failed): the process-wide slot holds the backend no longer.
    entry.release();
  }
  const endpoints = Object.freeze({ ...dev.endpoints });
  const origins = dev.apps.map((a) => a.url);
  let stopped = false;
  const live = (what: string) => {
    if (stopped)
      throw new AtakoraError('TEST_BACKEND_STOPPED', `${what} after stop(): the stack is gone.`);
  };
  return {
    endpoints,
    as(caller) {
      const headers = callerHeaders(caller, home);
      const signed: typeof fetch = async (input, init) => {
        live('A request');
        const h = new Headers(
          init?.headers ?? (input instanceof Request ? input.headers : undefined),
        );
        for (const [k, v] of Object.entries(headers)) h.set(k, v);
        return fetch(input, { ...init, headers: h });
      };
      return {
        fetch: (path, init) => signed(appUrlOf(origins, String(path)), init),
        client: <B>(o: Pick<ClientOptions, 'functions' | 'WebSocket'> = {}) =>
          createClient<B>({ ...o, baseUrls: endpoints, getToken: () => undefined, fetch: signed }),
      };
    },
    async stop() {
      if (stopped) return;
      stopped = true;
      try {
        await dev.stop();
      } finally {
        entry.remove();
      }
    },
  };
}
