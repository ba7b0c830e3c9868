/**
 * The text types a Front Door route compresses: each must be one azurerm accepts in
 * `cache.content_types_to_compress` — `frontDoorContentTypes()` in
 * internal/services/cdn/cdn_frontdoor_helpers.go (v4.55.0), a fixed list of the types Front Door can compress
 * (Learn, "Improve performance by compressing files in Azure Front Door"). `application/manifest+json` is not
 * among them. `npm run check:terraform` reads the provider's own list from its validator and fails on any type
 * here it refuses.
 *
 * @example
 * ```ts
 * COMPRESSIBLE_CONTENT_TYPES.includes('text/html'); // true
 * ```
 */
export const COMPRESSIBLE_CONTENT_TYPES: readonly string[] = Object.freeze([
  'text/html',
  'text/css',
  'text/plain',
  'text/xml',
  'text/javascript',
  'application/javascript',
  'application/x-javascript',
  'application/json',
  'application/xml',
  'image/svg+xml',
  'font/ttf',
  'font/otf',
]);
