/**
 * The worker's half of dev's per-tenant seeding: the first request of a tenant's user (per worker) asks the dev
 * process to seed that tenant's empty view of each container (cli/dev/seed/seed.ts) and waits for it, so the user's
 * first page already shows the demo data. Anything but a quick answer lets the request go on: seeding never
 * stops dev from serving.
 */
import { request } from 'node:http';
import type { DevUser } from '../sign-in/sign-in.js';

/** Environment variable naming dev's loopback seeding endpoint (`http://127.0.0.1:<port>/seed`). */
export const DEV_SEED_URL_ENV = 'ATAKORA_DEV_SEED_URL';
/** Environment variable holding this session's key for that endpoint (sent as {@link DEV_SEED_KEY_HEADER}). */
export const DEV_SEED_KEY_ENV = 'ATAKORA_DEV_SEED_KEY';
/** Header carrying the key. */
export const DEV_SEED_KEY_HEADER = 'x-atakora-dev-seed-key';

/** How long a first request waits for its tenant's seed before it goes on without (a big seed, a slow disk). */
const WAIT_MS = 30_000;

const asked = new Map<string, Promise<void>>();

/**
 * Wait until the dev process has seeded `user`'s tenant (once per tenant and worker; at once when dev seeds
 * nothing or the request is anonymous).
 *
 * @example
 * ```ts
 * await tenantSignedIn({ oid: 'bob', tid: 'fabrikam', name: 'bob' });
 * ```
 */
export function tenantSignedIn(
  user: DevUser | undefined,
  env: NodeJS.ProcessEnv = process.env,
): Promise<void> {
  const url = env[DEV_SEED_URL_ENV];
  const key = env[DEV_SEED_KEY_ENV];
  if (!user || !url || !key) return Promise.resolve();
  let pending = asked.get(user.tid);
  if (!pending) {
    pending = ask(url, key, user);
    asked.set(user.tid, pending);
  }
  return pending;
}

function ask(url: string, key: string, user: DevUser): Promise<void> {
  return new Promise((resolve) => {
    const body = JSON.stringify({ tid: user.tid, oid: user.oid });
    const req = request(url, {
      method: 'POST',
      headers: {
        [DEV_SEED_KEY_HEADER]: key,
        'content-type': 'application/json',
        'content-length': Buffer.byteLength(body),
      },
      timeout: WAIT_MS,
    });
    const done = () => {
      resolve();
    };
    req.on('response', (res) => {
      res.resume();
      res.on('end', done);
      res.on('error', done);
    });
    req.on('timeout', () => {
      req.destroy();
    });
    req.on('error', done);
    req.end(body);
  });
}
