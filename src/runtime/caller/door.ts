import type {
  HttpFunctionOptions,
  HttpHandler,
  HttpRequest,
  HttpResponseInit,
} from '@azure/functions';
import { AtakoraError } from '../../model/errors.js';
import {
  DOOR_SETTING,
  excludedPathMatches,
  type RuntimeDoor,
} from '../../model/door/runtime-door.js';
import { problemResponse } from '../http/response.js';
import { agentBearer } from './agent-bearer.js';
import { presentedApiKey } from './api-key-bearer.js';
import { CLIENT_PRINCIPAL_HEADER } from './client-principal.js';
import { principalHeaderOf, verifyEntraBearer } from './entra-bearer.js';
import { issuerKeysSource } from './entra-keys.js';

/**
 * The headers App Service authentication sets for the caller it validated (Learn, "Work with user identities":
 * `X-MS-CLIENT-PRINCIPAL`, `-ID`, `-NAME`, `-IDP`), and the provider's tokens (`X-MS-TOKEN-AAD-…`). On a door path
 * nothing vouches for them, so the runtime drops every one before anything reads them.
 */
const PLATFORM_HEADERS = /^x-ms-(client-principal|token-)/i;

/** A compact JWT: three base64url segments. */
const JWT = /^Bearer\s+([A-Za-z0-9_-]+\.[A-Za-z0-9_-]*\.[A-Za-z0-9_-]*)\s*$/i;

/**
 * The runtime's door on the paths App Service authentication lets through (`excludedPaths`, written for
 * `mcp.authorization` and `tenants.apiKeys`: resources/functions/door/door-paths.ts). `admit` does what the platform does on
 * every other path, before any handler reads the request: it drops a client-sent `x-ms-client-principal` (and the
 * other platform headers), leaves an `atk_…` key to the key caller and one of the backend's own agent tokens
 * (`at+jwt`) to the agent caller, and validates any other bearer JWT as an Entra access token of the API
 * (entra-bearer.ts) — setting the principal App Service would have set, or answering 401 as App Service would.
 * A request without a bearer goes on with no principal (the routes then answer 401 themselves). Undefined: the
 * request goes on (its headers may have been rewritten); a response: the answer.
 *
 * @example
 * ```ts
 * const door = runtimeDoor(JSON.parse(process.env.ATAKORA_DOOR!));
 * const refused = await door.admit(request);
 * if (refused) return refused;
 * ```
 */
export function runtimeDoor(
  door: RuntimeDoor,
  fetchImpl: typeof fetch = fetch,
): { admit(request: HttpRequest): Promise<HttpResponseInit | undefined> } {
  const issuer = issuerKeysSource(door.issuer, fetchImpl);
  return {
    admit: async (request) => {
      if (!atDoor(request.url, door.paths)) return undefined;
      for (const name of [...request.headers.keys()])
        if (PLATFORM_HEADERS.test(name)) request.headers.delete(name);
      if (presentedApiKey(request) !== undefined || agentBearer(request) !== undefined)
        return undefined;
      const token = JWT.exec(request.headers.get('authorization') ?? '')?.[1];
      if (token === undefined) return undefined;
      const keys = await issuer.of();
      const result = keys
        ? await verifyEntraBearer(token, keys, door.audiences)
        : { ok: false as const, reason: "the issuer's signing keys could not be fetched" };
      if (!result.ok)
        return problemResponse(
          'unauthenticated',
          `The bearer token is not a valid Entra ID token for this API (${result.reason}).`,
          { headers: { 'WWW-Authenticate': 'Bearer error="invalid_token"' } },
        );
      request.headers.set(CLIENT_PRINCIPAL_HEADER, principalHeaderOf(result.principal));
      return undefined;
    },
  };
}

/**
 * A handler behind the door: the door admits first (see {@link runtimeDoor}).
 *
 * @example
 * ```ts
 * app.http(name, { ...options, handler: behindDoor(door, options.handler) });
 * ```
 */
export function behindDoor(
  door: ReturnType<typeof runtimeDoor>,
  handler: HttpHandler,
): HttpHandler {
  return async (request, context) => (await door.admit(request)) ?? handler(request, context);
}

/**
 * Whether the request's path is a door path, read generously: percent-decoded, repeated and trailing slashes
 * dropped — Learn does not say how App Service normalizes a path before matching `excludedPaths`, and a path the
 * platform lets through that the door did not recognize would reach a handler with a client's own principal. Reading
 * more paths as door paths costs nothing but a second validation of a token the platform already took; a path that
 * does not decode is treated as one.
 */
function atDoor(url: string, paths: readonly string[]): boolean {
  let path: string;
  try {
    path = decodeURIComponent(new URL(url).pathname);
  } catch {
    return true;
  }
  const normal = path.replace(/\/+/g, '/').replace(/(.)\/$/, '$1');
  return excludedPathMatches(normal, paths);
}

/**
 * A registrar whose HTTP functions are each {@link behindDoor}: the runtime's routes registered through it all pass
 * the door, whichever folder registers them; its timers and queue triggers are the platform's own.
 *
 * @example
 * ```ts
 * registerApp(withDoor(app, door), manifest, deps);
 * ```
 */
export function withDoor<R extends { http(name: string, options: HttpFunctionOptions): void }>(
  platform: R,
  setting: RuntimeDoor,
): R {
  const door = runtimeDoor(setting);
  const http = (name: string, options: HttpFunctionOptions): void => {
    platform.http(name, { ...options, handler: behindDoor(door, options.handler) });
  };
  return new Proxy(platform, {
    get(target, prop) {
      if (prop === 'http') return http;
      const value: unknown = Reflect.get(target, prop);
      return typeof value === 'function'
        ? (value as (...a: unknown[]) => unknown).bind(target)
        : value;
    },
  });
}

/**
 * The door's app setting ({@link DOOR_SETTING}, JSON {@link RuntimeDoor}), or undefined when unset. A setting that is
 * set but unreadable stops the start (`RUNTIME_CONFIG_INVALID`): its paths are open at App Service, so serving them
 * without the door would trust whatever principal a client sends.
 *
 * @example
 * ```ts
 * const door = doorSettingOf(process.env[DOOR_SETTING]);
 * ```
 */
export function doorSettingOf(setting: string | undefined): RuntimeDoor | undefined {
  if (setting === undefined || setting.trim() === '') return undefined;
  let v: unknown;
  try {
    v = JSON.parse(setting);
  } catch {
    v = undefined;
  }
  const d = v as Partial<Record<keyof RuntimeDoor, unknown>> | undefined;
  const strings = (x: unknown): x is string[] =>
    Array.isArray(x) && x.length > 0 && x.every((s) => typeof s === 'string' && s !== '');
  if (d && typeof d === 'object' && strings(d.paths) && strings(d.audiences)) {
    const issuer = typeof d.issuer === 'string' ? URL.parse(d.issuer) : null;
    if (issuer && (issuer.protocol === 'https:' || issuer.hostname === '127.0.0.1'))
      return { paths: d.paths, issuer: issuer.href.replace(/\/$/, ''), audiences: d.audiences };
  }
  throw new AtakoraError(
    'RUNTIME_CONFIG_INVALID',
    `${DOOR_SETTING} is not { paths, issuer, audiences } with an https issuer: the runtime cannot check the ` +
      'bearers on the paths App Service authentication lets through.',
    {
      path: [DOOR_SETTING],
      resolution: `Deploy again (the plan writes ${DOOR_SETTING}), or remove the setting together with the paths it names from auth_settings_v2.excluded_paths.`,
    },
  );
}
