import { AtakoraError } from '../../model/errors.js';
import { firstLine } from './errors.js';
import { azureOk } from './http.js';

/**
 * The App Service calls on an app's Key Vault references (api-version 2022-03-01, the one Learn's refresh call
 * names):
 * - refresh: POST …/config/configreferences/appsettings/refresh — fetch every reference again now, not within
 *   24 hours (https://learn.microsoft.com/azure/app-service/app-service-key-vault-references#understand-rotation);
 * - status: GET …/config/configreferences/appsettings (WebApps_GetAppSettingsKeyVaultReferences,
 *   https://learn.microsoft.com/rest/api/appservice/web-apps/get-app-settings-key-vault-references): an
 *   ApiKVReferenceCollection `{ value: [{ id: …/appsettings/<setting>, properties: { reference, status,
 *   details } }], nextLink }`, status one of Initialized, Resolved, InvalidSyntax, MSINotEnabled, VaultNotFound,
 *   SecretNotFound, SecretVersionNotFound, AccessToKeyVaultDenied, OtherReasons, FetchTimedOut,
 *   UnauthorizedClient (ResolveStatus).
 */
export const REFERENCE_API_VERSION = '2022-03-01';

/**
 * The URL that makes an app fetch its Key Vault references again (POST, with a Resource Manager token; Learn:
 * "make an authenticated POST request to … /config/configreferences/appsettings/refresh?api-version=2022-03-01").
 *
 * @example
 * ```ts
 * `az rest --method post --url "${referenceRefreshUrl(site.url)}"`;
 * ```
 */
export function referenceRefreshUrl(siteUrl: string): string {
  return `${siteUrl}/config/configreferences/appsettings/refresh?api-version=${REFERENCE_API_VERSION}`;
}

/** One app setting that is a Key Vault reference, and how App Service last resolved it. */
export interface ReferenceStatus {
  readonly setting: string;
  readonly status: string;
  readonly details?: string;
}

/** One app whose references to wait for: its resource URL under Resource Manager. */
export interface ReferenceSite {
  readonly app: string;
  /** Settings that must be among the references (the declared secrets it reads); absent ones count as unresolved. */
  readonly expect?: readonly string[];
  /** `<arm>/subscriptions/<s>/resourceGroups/<rg>/providers/Microsoft.Web/sites/<app>`. */
  readonly url: string;
}

/** Options of {@link awaitResolvedReferences}. */
export interface ReferenceWait {
  readonly token: () => Promise<string>;
  readonly log: (line: string) => void;
  /**
   * Give up after this long. Default 600 s: a role assignment on the vault (the app's identity, created with
   * the app) can take up to 10 minutes to take effect (https://learn.microsoft.com/azure/role-based-access-control/troubleshooting#symptom---role-assignment-changes-are-not-being-detected).
   */
  readonly timeoutMs?: number;
  /** First wait between rounds (doubling, at most 60 s); default 5 s. */
  readonly initialDelayMs?: number;
}

/** An unresolved status that waiting does not change: the reference itself is wrong. */
const FINAL = new Set(['InvalidSyntax']);

/**
 * Ask the app to fetch its Key Vault references again, once, and say so without claiming anything about what
 * it now reads (after a `remove` the reference no longer resolves: that is the point). A non-2xx is an
 * AzureRequestError.
 *
 * @example
 * ```ts
 * await requestRefresh(site, token);
 * ```
 */
export async function requestRefresh(site: ReferenceSite, token: string): Promise<void> {
  await azureOk({
    service: 'Resource Manager',
    what: `refreshing the Key Vault references of ${site.app}`,
    url: referenceRefreshUrl(site.url),
    method: 'POST',
    token,
  });
}

/**
 * Every Key Vault reference among the app's settings and its status, following `nextLink`.
 *
 * @example
 * ```ts
 * const statuses = await referenceStatuses(site, token);
 * statuses.filter((s) => s.status !== 'Resolved');
 * ```
 */
export async function referenceStatuses(
  site: ReferenceSite,
  token: string,
): Promise<ReferenceStatus[]> {
  const out: ReferenceStatus[] = [];
  let next: string | undefined =
    `${site.url}/config/configreferences/appsettings?api-version=${REFERENCE_API_VERSION}`;
  for (let page = 0; next && page < 100; page++) {
    const answer = await azureOk({
      service: 'Resource Manager',
      what: `reading the Key Vault references of ${site.app}`,
      url: next,
      token,
    });
    const b = (answer.json() ?? {}) as {
      value?: { id?: string; name?: string; properties?: { status?: string; details?: string } }[];
      nextLink?: string | null;
    };
    for (const r of b.value ?? []) {
      const setting = (r.id ?? r.name ?? '?').split('/').pop() ?? '?';
      out.push({
        setting,
        status: r.properties?.status ?? 'Initialized',
        ...(r.properties?.details ? { details: r.properties.details } : {}),
      });
    }
    next = b.nextLink ?? undefined;
  }
  return out;
}

/**
 * Make each app fetch its Key Vault references again and wait until App Service reports every one Resolved:
 * refresh, read the statuses, and while any is not resolved wait (5 s, 10 s, … at most 60 s), refresh again and
 * read again, up to `timeoutMs`. App Service keeps a failed resolution until the next refresh, restart or
 * 24 hours (Learn, "Use Key Vault references as app settings", rotation), and a first deploy's vault role may
 * still be propagating — so one refresh answered 2xx says nothing about the value the app reads. A reference
 * still unresolved at the end (or wrong in itself: InvalidSyntax) is SECRET_REFERENCE_UNRESOLVED naming each
 * setting and its status.
 *
 * @example
 * ```ts
 * await awaitResolvedReferences([{ app, url: siteUrl }], { token: () => azureToken(arm, process.env), log: console.error });
 * ```
 */
export async function awaitResolvedReferences(
  sites: readonly ReferenceSite[],
  options: ReferenceWait,
): Promise<void> {
  const timeoutMs = options.timeoutMs ?? 600_000;
  const failures: string[] = [];
  await Promise.all(
    sites.map(async (site) => {
      const deadline = Date.now() + timeoutMs;
      let delay = options.initialDelayMs ?? 5000;
      for (let round = 1; ; round++) {
        // Either what App Service reported, or why it could not be read.
        let statuses: ReferenceStatus[] | undefined;
        let error = '';
        try {
          const token = await options.token();
          await requestRefresh(site, token);
          const found = await referenceStatuses(site, token);
          const known = new Set(found.map((r) => r.setting.toLowerCase()));
          statuses = [
            ...found,
            ...(site.expect ?? [])
              .filter((n) => !known.has(n.toLowerCase()))
              .map((n) => ({
                setting: n,
                status: 'NotAReference',
                details: 'no such Key Vault reference',
              })),
          ];
        } catch (e) {
          error = firstLine(e);
        }
        const open = statuses?.filter((r) => r.status !== 'Resolved');
        if (statuses && open?.length === 0) {
          const names = statuses.map((r) => r.setting);
          options.log(
            `${site.app}: ${names.length} Key Vault reference(s) resolved${names.length ? ` (${names.join(', ')})` : ''}`,
          );
          return;
        }
        const describe = (rs: readonly ReferenceStatus[]) =>
          rs
            .map((r) => `${r.setting} is ${r.status}${r.details ? ` (${r.details})` : ''}`)
            .join('; ');
        const final = open?.filter((r) => FINAL.has(r.status)) ?? [];
        const left = deadline - Date.now();
        if (final.length || left <= 0) {
          failures.push(
            open
              ? `${site.app}: ${describe(final.length ? final : open)}`
              : `${site.app}: the reference status could not be read (${error})`,
          );
          return;
        }
        options.log(
          `${site.app}: waiting for Key Vault references (${open ? open.map((r) => `${r.setting}: ${r.status}`).join(', ') : error}); round ${round}`,
        );
        await new Promise((r) => setTimeout(r, Math.min(delay, left)));
        delay = Math.min(delay * 2, 60_000);
      }
    }),
  );
  if (failures.length)
    throw new AtakoraError(
      'SECRET_REFERENCE_UNRESOLVED',
      `Key Vault references still unresolved after ${Math.round(timeoutMs / 1000)} s of refreshing: ` +
        `${failures.join('; ')}. The app hands its code these settings as undefined until they resolve.`,
      { path: ['secrets'] },
    );
}
