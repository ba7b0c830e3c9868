/// <reference lib="dom" />
/// <reference lib="dom.iterable" />
import { type ClientOptions, createClient } from '../client/create-client.js';
import { send, type Transport } from '../client/transport.js';
import type { TenantMembers } from '../client/types.js';

/** What {@link configure} takes: the typed client's options, less `tenant` (the elements keep the organization). */
export type ElementsOptions = Omit<ClientOptions, 'tenant'> & {
  /** The organization to start in (default: the one last chosen in this browser, else the person's first). */
  readonly organization?: string;
  /**
   * The signed-in person's user id as the API names members (the token's `oid`, else `sub`): what Leave removes.
   * Default: read from the token `getToken` gives (a JWT); give it when the sign-in hands the page no token.
   */
  readonly userId?: string;
};

const ORGANIZATION_KEY = 'atakora.organization';
/** The event every element listens to on `document`: the organization changed (detail `{ id }`). */
export const ORGANIZATION_CHANGE = 'atakora-organization-change';
/** The event after a change of membership data (a member, an invitation, the plan): listening elements reload. */
export const DATA_CHANGE = 'atakora-change';

interface Connection {
  readonly client: TenantMembers;
  readonly transport: Transport;
}

let connection: Connection | undefined;
let person: string | undefined;
let organization: string | undefined;
let ready: (c: Connection) => void = () => undefined;
const connected = new Promise<Connection>((done) => {
  ready = done;
});

const stored = (): string | undefined => {
  try {
    return globalThis.localStorage?.getItem(ORGANIZATION_KEY) ?? undefined;
  } catch {
    return undefined;
  }
};

/**
 * The member id dev gives the user a dev user header names (cli/dev/sign-in/sign-in.ts `emailUserOf`): an e-mail
 * (`olivia@example.com`: a dot after the `@`) is its own id, lower case; `ada@contoso` is the user `ada`.
 *
 * @example
 * ```ts
 * devUserId('Olivia@Example.com'); // 'olivia@example.com'
 * devUserId('ada@contoso;roles=X'); // 'ada'
 * ```
 */
export function devUserId(header: string): string {
  const who = (header.split(';')[0] ?? header).trim();
  const at = who.lastIndexOf('@');
  if (at < 0) return who;
  return who.slice(at + 1).includes('.') ? who.toLowerCase() : who.slice(0, at);
}

/**
 * Under `atakora dev` (the site config's `dev`) and without a `fetch` of the page's: requests carry dev's user header
 * — `localStorage.devUser` when set, else the session's user — and the person's id is the one dev gives that user
 * ({@link devUserId}), so a page needs no sign-in code locally.
 */
function devSignIn(options: ElementsOptions): Partial<ElementsOptions> {
  const dev = options.config?.dev;
  if (!dev || options.fetch) return {};
  let user = dev.user;
  try {
    user = globalThis.localStorage?.getItem('devUser') ?? dev.user;
  } catch {
    // Storage refused: the session's user.
  }
  return {
    fetch: (input, init = {}) =>
      globalThis.fetch(input, {
        ...init,
        headers: { ...(init.headers as Record<string, string>), [dev.userHeader]: user },
      }),
    ...(options.userId ? {} : { userId: devUserId(user) }),
  };
}

/**
 * Connect the elements to the backend: the typed client's options (`config`, the site's `atakora.config.json`, or
 * `baseUrls`; `getToken`; optionally `fetch`). Elements on the page wait for it; call it once. Under `atakora dev`
 * (the config's `dev`, no `fetch` given) they sign in as dev's user (`localStorage.devUser` names another).
 *
 * @example
 * <!-- snippet: no-run (runs in a browser page) -->
 * ```ts
 * import { configure } from '@atakora/component/elements';
 * declare function msalToken(): Promise<string>; // the page's sign-in library
 * configure({ config: await (await fetch('/atakora.config.json')).json(), getToken: () => msalToken() });
 * ```
 */
export function configure(options: ElementsOptions): void {
  const dev = devSignIn(options);
  const { organization: first, userId, ...rest } = { ...options, ...dev };
  person = userId;
  organization = first ?? organization ?? stored();
  const client: TenantMembers = createClient<never>({
    ...rest,
    tenant: () => organization,
  });
  const urls = { ...options.config?.apis, ...options.baseUrls };
  const base = Object.values(urls)[0] ?? '';
  // The API's root (`…/api`): beside any CrudApi's route, where the people routes are.
  const transport: Transport = {
    baseUrl: new URL('..', `${base}/`).href.replace(/\/$/, ''),
    getToken: options.getToken,
    fetch: options.fetch ?? ((...a: Parameters<typeof fetch>) => globalThis.fetch(...a)),
    tenant: () => organization,
  };
  connection = { client, transport };
  ready(connection);
}

/** The connection, once {@link configure} ran. */
export function connectionOf(): Promise<Connection> {
  return connection ? Promise.resolve(connection) : connected;
}

/** A GET of a route under `api/` through the configured transport (a route the typed client has no method for). */
export async function getJson<T>(path: string): Promise<T> {
  return sendJson<T>('GET', path);
}

/**
 * A request to a route under `api/` the typed client has no method for (the directory link): its
 * JSON answer, a problem thrown as a ProblemError.
 */
export async function sendJson<T>(method: string, path: string, body?: unknown): Promise<T> {
  const { transport } = await connectionOf();
  return (
    await send(transport, { method, path: `/${path}`, ...(body === undefined ? {} : { body }) })
  ).body as T;
}

/** The API's root URL (`…/api`): what a page shows for routes another system calls (SCIM's tenant URL). */
export async function apiRoot(): Promise<string> {
  return (await connectionOf()).transport.baseUrl;
}

/**
 * The signed-in person's user id: `configure`'s `userId`, else the `oid` (else `sub`) of the token's payload — the
 * member's identity as the runtime keeps it (contract/member-shapes.ts `Membership.userId`); undefined when neither.
 */
export async function personId(): Promise<string | undefined> {
  if (person) return person;
  const { transport } = await connectionOf();
  const token = await transport.getToken();
  const payload = token?.split('.')[1];
  if (!payload) return undefined;
  try {
    const json = atob(payload.replace(/-/g, '+').replace(/_/g, '/'));
    const claims = JSON.parse(json) as { oid?: unknown; sub?: unknown };
    const id = claims.oid ?? claims.sub;
    return typeof id === 'string' ? id : undefined;
  } catch {
    return undefined;
  }
}

/** The organization the elements act in (`X-Atakora-Tenant`), if chosen. */
export function currentOrganization(): string | undefined {
  return organization;
}

/**
 * Act in another organization: every element reloads (the `atakora-organization-change` event on `document`).
 *
 * @example
 * <!-- snippet: no-run (runs in a browser page: the elements listen on its document) -->
 * ```ts
 * import { setOrganization } from '@atakora/component/elements';
 * setOrganization('acme-k3x9qa');
 * ```
 */
export function setOrganization(id: string | undefined): void {
  if (id === organization) return;
  organization = id;
  try {
    if (id) globalThis.localStorage?.setItem(ORGANIZATION_KEY, id);
    else globalThis.localStorage?.removeItem(ORGANIZATION_KEY);
  } catch {
    // Storage refused (a sandboxed frame): the choice lasts for this page.
  }
  document.dispatchEvent(new CustomEvent(ORGANIZATION_CHANGE, { detail: { id } }));
}

/** Tell the other elements that membership data changed (they reload). */
export function changed(source: EventTarget): void {
  document.dispatchEvent(new CustomEvent(DATA_CHANGE, { detail: { source } }));
}
