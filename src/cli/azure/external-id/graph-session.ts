import { AtakoraError } from '../../../model/errors.js';
import { azureRequest, type AzureAnswer } from '../http.js';

/**
 * What each Graph call of `atakora auth setup` needs, by area: the application permission a service principal
 * holds, and the least Microsoft Entra role a signed-in administrator holds (Learn, the Graph reference page of
 * each call, "Permissions": user flows — "Create authenticationEventsFlow", "Add includeApplication", "Add
 * identityProvider (to a user flow)": EventListener.ReadWrite.All, External ID User Flow Administrator; identity
 * providers — "Create identityProvider", "Update identityProvider": IdentityProvider.ReadWrite.All, External
 * Identity Provider Administrator; "List applications": Application.Read.All).
 */
export const GRAPH_PERMISSIONS = {
  userFlows: {
    permission: 'EventListener.ReadWrite.All',
    role: 'External ID User Flow Administrator',
  },
  identityProviders: {
    permission: 'IdentityProvider.ReadWrite.All',
    role: 'External Identity Provider Administrator',
  },
  applications: {
    permission: 'Application.Read.All',
    role: 'Application Developer (as an owner of the registrations) or Cloud Application Administrator',
  },
} as const;

/** One area of {@link GRAPH_PERMISSIONS}. */
export type GraphArea = keyof typeof GRAPH_PERMISSIONS;

/** The external tenant's Graph, as `auth setup` calls it. */
export interface GraphSession {
  /** Graph's base URL without the version (`https://graph.microsoft.com`, or ATAKORA_GRAPH_ENDPOINT). */
  readonly graph: string;
  readonly token: string;
  /** The external tenant, for messages. */
  readonly tenant: string;
  /** Values no message may carry (the social providers' secrets once read): replaced by `***`. */
  readonly redact: string[];
  /** Another fetch (tests inject one). */
  readonly fetch?: typeof fetch;
}

/** One call: method, a path under `/v1.0` (or a whole `@odata.nextLink`), a JSON body, what it does in words. */
export interface GraphCall {
  readonly method?: 'GET' | 'POST' | 'PATCH' | 'DELETE';
  readonly path: string;
  readonly json?: unknown;
  readonly what: string;
  readonly area: GraphArea;
}

/** `https://graph.microsoft.com/v1.0`: every call is to Graph v1.0 (DESIGN §2: no beta endpoint). */
export const v1 = (session: Pick<GraphSession, 'graph'>): string => `${session.graph}/v1.0`;

/**
 * Make one Graph call and return its 2xx answer. A refusal (401, 403) is AUTH_SETUP_PERMISSION_MISSING naming the
 * permission and the role the call needs; any other failure AUTH_SETUP_FAILED with Graph's own code and message;
 * no answer AUTH_SETUP_FAILED with the network's. The session's secrets never reach a message.
 *
 * @example
 * ```ts
 * const flows = await graphCall(session, { path: '/identity/authenticationEventsFlows', what: 'listing the user flows', area: 'userFlows' });
 * ```
 */
export async function graphCall(session: GraphSession, call: GraphCall): Promise<AzureAnswer> {
  const url = call.path.startsWith('http') ? call.path : `${v1(session)}${call.path}`;
  let answer: AzureAnswer;
  try {
    answer = await azureRequest({
      service: 'Microsoft Graph',
      what: call.what,
      url,
      method: call.method ?? 'GET',
      token: session.token,
      timeoutMs: 60_000,
      ...(call.json !== undefined ? { json: call.json } : {}),
      ...(session.fetch ? { fetch: session.fetch } : {}),
    });
  } catch (e) {
    throw new AtakoraError(
      'AUTH_SETUP_FAILED',
      redact(session, `Microsoft Graph did not answer ${call.what}: ${(e as Error).message}.`),
      {
        path: ['auth', 'setup', call.area],
        resolution:
          'Check the network path to graph.microsoft.com (or ATAKORA_GRAPH_ENDPOINT), then run atakora auth ' +
          'setup again: what was done is found and kept.',
      },
    );
  }
  if (answer.ok) return answer;
  throw refusal(session, call, answer);
}

/**
 * Every item of a Graph collection, following `@odata.nextLink` — only on Graph's own origin, so the token is
 * never sent elsewhere (a link elsewhere is AUTH_SETUP_FAILED).
 *
 * @example
 * ```ts
 * const providers = await graphList<{ id: string }>(session, { path: '/identity/identityProviders', what: 'listing the identity providers', area: 'identityProviders' });
 * ```
 */
export async function graphList<T>(session: GraphSession, call: GraphCall): Promise<T[]> {
  const out: T[] = [];
  const origin = new URL(v1(session)).origin;
  let next: string | undefined = call.path;
  for (let page = 0; next !== undefined; page++) {
    const body = (await graphCall(session, { ...call, path: next })).json() as
      | { value?: T[]; '@odata.nextLink'?: string }
      | undefined;
    out.push(...(body?.value ?? []));
    next = body?.['@odata.nextLink'];
    if (next !== undefined && (new URL(next, origin).origin !== origin || page >= 1_000))
      throw new AtakoraError(
        'AUTH_SETUP_FAILED',
        `Microsoft Graph's next page of ${call.what} is not on ${origin}; it was not followed.`,
        {
          path: ['auth', 'setup', call.area],
          resolution: 'Check ATAKORA_GRAPH_ENDPOINT (or a proxy rewriting Graph answers).',
        },
      );
  }
  return out;
}

function refusal(session: GraphSession, call: GraphCall, answer: AzureAnswer): AtakoraError {
  const error = (answer.json() as { error?: { code?: unknown; message?: unknown } } | undefined)
    ?.error;
  const said = redact(
    session,
    [error?.code, error?.message].filter((x) => typeof x === 'string').join(': ') ||
      answer.text.slice(0, 200),
  );
  const need = GRAPH_PERMISSIONS[call.area];
  if (answer.status === 401 || answer.status === 403)
    return new AtakoraError(
      'AUTH_SETUP_PERMISSION_MISSING',
      `Microsoft Graph refused ${call.what} in the external tenant ${session.tenant} (HTTP ${String(answer.status)}` +
        `${said ? ` ${said}` : ''}): it needs ${need.permission}.`,
      {
        path: ['auth', 'setup', call.area],
        details: { status: answer.status, permission: need.permission, role: need.role },
        resolution:
          `Sign in to the external tenant (az login --tenant ${session.tenant} --allow-no-subscriptions) as a ` +
          `user holding the ${need.role} role, or grant the deployer's service principal the Microsoft Graph ` +
          `application permission ${need.permission} there (with admin consent); then run atakora auth setup ` +
          'again (docs/sign-in.md#customers).',
      },
    );
  return new AtakoraError(
    'AUTH_SETUP_FAILED',
    `Microsoft Graph answered ${call.what} with HTTP ${String(answer.status)}${said ? ` ${said}` : ''}.`,
    {
      path: ['auth', 'setup', call.area],
      details: { status: answer.status },
      resolution:
        "Read Graph's message above; fix what it names in the external tenant (the Entra admin center), then " +
        'run atakora auth setup again: what was done is found and kept.',
    },
  );
}

function redact(session: Pick<GraphSession, 'redact'>, text: string): string {
  let out = text;
  for (const secret of session.redact) if (secret) out = out.split(secret).join('***');
  return out;
}
