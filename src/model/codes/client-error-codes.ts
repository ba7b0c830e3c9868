/**
 * The typed client's own error codes and their resolutions: one small table the client's bundle carries (not the
 * whole of error-codes.ts, which would double its size in a browser) and model/error-codes.ts spreads into its own.
 *
 * @example
 * ```ts
 * CLIENT_RESOLUTIONS.CLIENT_INPUT_INVALID; // 'Pass ids and keys as whole strings …'
 * ```
 */
export const CLIENT_RESOLUTIONS = {
  CLIENT_CONFIG_INVALID:
    "Pass createClient({ config }) with the site's atakora.config.json (apis: { <componentKey>: <base URL> " +
    '}) or { baseUrls: { <componentKey>: backend.components.<key>.apiEndpoint } }, and a getToken function.',
  CLIENT_INPUT_INVALID:
    'Pass ids and keys as whole strings (a lone UTF-16 surrogate, half of a character cut in two, fits in no ' +
    "URL: String.prototype.toWellFormed() repairs one) and ETags as the API gave them (an item's etag).",
  ELEMENTS_MESSAGES_INVALID:
    "Call setMessages(locale, messages) with a locale such as 'de' or 'fr-CA' and an object of text: " +
    "{ invite: 'Inviter' } (the keys are ENGLISH_MESSAGES').",
} as const;
