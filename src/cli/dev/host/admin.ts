import type { IncomingMessage, ServerResponse } from 'node:http';
import { ADMIN_KEY_HEADER, adminAllowed } from '../loopback/guard.js';
import { bodyText, problem, send } from './answers.js';
import type { WorkerFunctions } from './worker-functions.js';

/**
 * The host's admin API, `POST /admin/functions/<name>` with `{ "input": … }`: runs a non-HTTP function (queue
 * message, timer) with this run's admin key, or from a JSON request of a trusted origin (loopback/guard.ts).
 *
 * @example
 * ```ts
 * await serveAdmin(req, res, { name: 'cleanup', trusted: false, adminKey, functions });
 * ```
 */
export async function serveAdmin(
  req: IncomingMessage,
  res: ServerResponse,
  call: {
    readonly name: string | undefined;
    readonly trusted: boolean;
    readonly adminKey: string;
    readonly functions: WorkerFunctions;
  },
): Promise<void> {
  const header = (name: string) => {
    const v = req.headers[name];
    return typeof v === 'string' ? v : undefined;
  };
  const asked = {
    key: header(ADMIN_KEY_HEADER),
    contentType: header('content-type'),
    secFetchSite: header('sec-fetch-site'),
  };
  if (!adminAllowed(asked, call.adminKey, call.trusted)) {
    problem(
      res,
      'admin-key-required',
      `Invoking functions needs the admin key atakora dev printed (${ADMIN_KEY_HEADER}: <key>) or a JSON ` +
        `request (Content-Type: application/json) from a trusted origin.`,
    );
    return;
  }
  const fn = call.functions.named(call.name);
  if (!fn) {
    problem(res, 'not-found', `No function ${call.name ?? ''}.`);
    return;
  }
  const input = adminInput(await bodyText(req));
  if (input === INVALID) {
    problem(res, 'invalid-json', 'The body must be a JSON object: { "input": … }.');
    return;
  }
  await call.functions.invoke(fn, input.input);
  send(res, 202, { invoked: fn.metadata.name });
}

const INVALID = Symbol('invalid');

/** The `input` of an admin call's body (`{}` when empty), or INVALID when the body is not a JSON object. */
function adminInput(text: string): { input: unknown } | typeof INVALID {
  try {
    const parsed: unknown = text.trim() ? JSON.parse(text) : {};
    if (parsed === null || typeof parsed !== 'object' || Array.isArray(parsed)) return INVALID;
    return { input: (parsed as { input?: unknown }).input };
  } catch {
    return INVALID;
  }
}
