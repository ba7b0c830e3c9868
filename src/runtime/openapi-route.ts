import type { HttpHandler } from '@azure/functions';
import { openApiFromManifest } from '../contract/openapi.js';
import type { RuntimeAuth, RuntimeManifest } from '../model/runtime-manifest.js';
import { jsonTextResponse, methodNotAllowed } from './http/response.js';
import { serve } from './pipeline/serve.js';

/**
 * `GET api/openapi.json`: the app's OpenAPI 3.1 document (src/contract/openapi.ts) from its manifest, its
 * server the request's own origin. Behind the CRUD routes' admission (401 to anonymous callers when the
 * manifest requires authentication, 403 `tenant-not-allowed` to a directory the backend does not admit); made
 * once per origin.
 *
 * @example
 * ```ts
 * app.http('openapi', {
 *   route: OPENAPI_ROUTE,
 *   methods: ['GET'],
 *   authLevel: 'anonymous',
 *   handler: createOpenApiHandler(manifest, caller),
 * });
 * ```
 */
export function createOpenApiHandler(
  manifest: RuntimeManifest,
  caller: RuntimeAuth | undefined,
): HttpHandler {
  const byOrigin = new Map<string, string>();
  // The pipeline's admission (runtime/pipeline): 401 / 403 tenant-not-allowed first, then 405 for all but GET.
  return serve<null>({
    withoutTenant: true,
    policy: caller,
    route: (ctx) =>
      ctx.method === 'GET'
        ? { ok: true, value: null }
        : methodNotAllowed(['GET'], ctx.request.method),
    // eslint-disable-next-line @typescript-eslint/require-await -- a handler answers a promise
    handle: async (ctx) => {
      const origin = originOf(ctx.request.url);
      let json = byOrigin.get(origin);
      if (json === undefined) {
        // A few origins at most (the app's host names); bounded all the same.
        if (byOrigin.size >= 16) byOrigin.clear();
        json = JSON.stringify(openApiFromManifest(manifest, origin));
        byOrigin.set(origin, json);
      }
      return jsonTextResponse(200, json);
    },
  });
}

function originOf(url: string): string {
  try {
    return new URL(url).origin;
  } catch {
    return '';
  }
}
