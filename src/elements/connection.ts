/// <reference lib="dom" />
/// <reference lib="dom.iterable" />
import { type ClientOptions, createClient } from '../client/create-client.js';
import { send, type Transport } from '../client/transport.js';
import type { TenantMembers } from '../client/types.js';

/** What {@link configure} takes: the typed client's options, less `tenant` (the elements keep the organization). */
export type ElementsOptions = Omit<ClientOptions, 'tenant'> & {
  /** The organization to start in (default: the one last chosen in this browser, else the person's first). */
  readonly organization?: string;
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
 * Connect the elements to the backend: the typed client's options (`config`, the site's `atakora.config.json`, or
 * `baseUrls`; `getToken`; optionally `fetch`). Elements on the page wait for it; call it once.
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
  const { organization: first, ...rest } = options;
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
  const { transport } = await connectionOf();
  return (await send(transport, { method: 'GET', path: `/${path}` })).body as T;
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
