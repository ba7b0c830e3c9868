/**
 * One `atakora dev` session for a test file: started before its tests (quietly), stopped after them, and a JSON
 * request to it as any user (dev's sign-in header).
 */
import { afterAll, beforeAll } from 'vitest';
import { type DevOptions, type DevSession, startDev } from '../../src/cli/dev/session/session.js';
import { timedStart } from './profile.js';

/**
 * Start `entry` under dev before the file's tests and stop it after them; the getter gives the session.
 *
 * @example
 * ```ts
 * const dev = devSession('test/packaging/fixtures/mcp-backend.ts');
 * it('answers', async () => expect((await devJson(dev(), 'alice@contoso', 'notes')).status).toBe(200));
 * ```
 */
export function devSession(entry: string, options: DevOptions = {}): () => DevSession {
  let dev: DevSession | undefined;
  beforeAll(async () => {
    dev = await timedStart('atakora dev session', () =>
      // No log given: no one reads the workers, which then load no source maps and log nothing (session.ts).
      startDev(entry, { log: () => {}, quietWorkers: options.log === undefined, ...options }),
    );
  });
  afterAll(async () => {
    await dev?.stop();
  });
  return () => {
    if (!dev) throw new Error(`dev did not start ${entry}`);
    return dev;
  };
}

/** dev's sign-in header for `caller` (`user@tenant[;roles=…]`, or `anonymous`). */
export const devUser = (caller: string) => ({ 'x-atakora-dev-user': caller });

/** `api/<path>` of the session's first app as `caller`, its JSON answer read (an empty body as `{}`). */
export async function devJson(
  dev: DevSession,
  caller: string,
  path: string,
  init: RequestInit = {},
) {
  const r = await fetch(`${dev.apps[0]?.url ?? ''}/api/${path}`, {
    ...init,
    headers: {
      ...devUser(caller),
      'content-type': 'application/json',
      ...(init.headers as Record<string, string> | undefined),
    },
  });
  const text = await r.text();
  return {
    status: r.status,
    headers: r.headers,
    body: text ? (JSON.parse(text) as Record<string, unknown>) : {},
  };
}

/**
 * `method api/<path>` of `dev`'s first app as `caller` (dev's sign-in header), in organization `org` when given,
 * `body` sent as JSON when given; the answer's status and JSON body (an empty body as `{}`).
 *
 * @example
 * ```ts
 * const org = await devCall(dev, 'POST', 'tenants', 'alice@example.com', { name: 'Acme' });
 * ```
 */
export async function devCall(
  dev: DevSession,
  method: string,
  path: string,
  caller: string,
  body?: unknown,
  org?: string,
) {
  const res = await fetch(`${dev.apps[0]?.url ?? ''}/api/${path}`, {
    method,
    headers: {
      ...devUser(caller),
      ...(org ? { 'x-atakora-tenant': org } : {}),
      ...(body === undefined ? {} : { 'content-type': 'application/json' }),
    },
    ...(body === undefined ? {} : { body: JSON.stringify(body) }),
  });
  const text = await res.text();
  return { status: res.status, body: text ? (JSON.parse(text) as Record<string, unknown>) : {} };
}
