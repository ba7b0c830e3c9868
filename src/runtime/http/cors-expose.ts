import type { HttpRequest, HttpResponseInit } from '@azure/functions';

const EXPOSE = 'Access-Control-Expose-Headers';

/**
 * The response headers a page on another origin may read (Fetch standard: a cross-origin response exposes only
 * the CORS-safelisted ones unless `Access-Control-Expose-Headers` names more): the entity tag for `If-Match`, a
 * created item's `Location`, when to retry, the limits' `RateLimit` pair and the next page's token.
 *
 * Who answers what in Azure: App Service's CORS (`site_config.cors`) keeps the origins and the preflights, and the
 * runtime adds this header. On Flex Consumption the Functions host runs App Service's CORS as ASP.NET Core's
 * CORS middleware *before* its authentication middleware (Azure/azure-functions-host
 * src/WebJobs.Script.WebHost/WebScriptHostBuilderExtension.cs: "EasyAuth must go after CORS, as CORS preflight
 * requests can happen before authentication"), with a policy of the allowed origins, any header and any method and
 * no exposed headers (Configuration/CorsOptionsSetup.cs). That middleware answers every preflight itself (204,
 * dotnet/aspnetcore CorsMiddleware: "Since there is a policy which was identified, always respond to preflight
 * requests"), so a preflight never reaches the app — nor App Service authentication, whose `auth_settings_v2` has
 * no per-method exemption (azurerm v4.55.0 internal/services/appservice/helpers/auth_v2_schema.go: `excluded_paths`
 * exempts a path for every method; `unauthenticated_action` applies to every request). On an actual request it
 * sets `Access-Control-Allow-Origin` for an allowed origin and leaves the app's `Access-Control-Expose-Headers` as
 * it is (CorsService.ApplyResult writes that header only from the policy's exposed headers, which are none). App
 * Service's CORS itself has no exposed-headers setting (azurerm v4.55.0 helpers/shared_schema.go CorsSetting:
 * `allowed_origins`, `support_credentials`) — hence this header, from the app.
 */
export const EXPOSED_HEADERS =
  'ETag, Location, Retry-After, RateLimit, RateLimit-Policy, x-ms-continuation';

/**
 * `response` with `Access-Control-Expose-Headers` when `request` is a cross-origin one (it has an `Origin`): the
 * headers {@link EXPOSED_HEADERS} lists become readable by a page of an origin the platform's CORS admits. Without
 * that admission (`Access-Control-Allow-Origin`) a browser reads nothing, so the header grants nothing by itself.
 *
 * @example
 * ```ts
 * return withExposedHeaders(request, await runEndpoint(endpoint, request, invocation));
 * ```
 */
export function withExposedHeaders(
  request: Pick<HttpRequest, 'headers'>,
  response: HttpResponseInit,
): HttpResponseInit {
  if (!request.headers.has('origin')) return response;
  const headers = response.headers;
  if (headers instanceof Headers) {
    headers.set(EXPOSE, EXPOSED_HEADERS);
    return response;
  }
  if (Array.isArray(headers))
    return { ...response, headers: [...headers, [EXPOSE, EXPOSED_HEADERS]] };
  // Object.assign, not spreads followed by fields (V8's slow path for such a literal: http/log.ts).
  return Object.assign({}, response, {
    headers: Object.assign({}, headers, { [EXPOSE]: EXPOSED_HEADERS }),
  });
}
