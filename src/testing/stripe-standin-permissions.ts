// A restricted key's refusals, as Stripe answers them: a request outside the key's permissions is HTTP 403 ("The API
// key doesn't have permissions to perform the request", Stripe API reference, "Errors") with an
// `invalid_request_error` naming the permission that would allow it — "The provided key 'rk_test_***…' does not have
// the required permissions for this endpoint on account 'acct_…'. Having the 'rak_subscription_read' permission would
// allow this request to continue." (Stripe's message, as stripe/stripe-node#2246 and stripe/stripe-cli#570 quote it;
// stripe-node raises it as StripePermissionError). Write implies read ("Restricted API keys"). The `rak_` names of
// the routes the stand-in serves are the stand-in's: Stripe's own list is its "API permissions reference".

/** The permission each route of the stand-in needs (method, path pattern, `rak_` name). */
const ROUTES: readonly (readonly [string, RegExp, string])[] = [
  ['POST', /^\/v1\/billing\/meter_events$/, 'rak_billing_meter_event_write'],
  ['GET', /^\/v1\/billing\/meters(\/[^/]+(\/event_summaries)?)?$/, 'rak_billing_meter_read'],
  ['GET', /^\/v2\/core\/events$/, 'rak_event_read'],
  ['GET', /^\/v1\/prices(\/[^/]+)?$/, 'rak_plan_read'],
  ['POST', /^\/v1\/prices$/, 'rak_plan_write'],
  ['POST', /^\/v1\/invoices\/create_preview$/, 'rak_invoice_read'],
  // An invoice's payments are the Invoices row's (API reference, "Invoice Payments": accessed through the invoice).
  ['GET', /^\/v1\/invoices\/[^/]+$/, 'rak_invoice_read'],
  ['GET', /^\/v1\/invoice_payments(\/[^/]+)?$/, 'rak_invoice_read'],
  ['POST', /^\/v1\/refunds$/, 'rak_refund_write'],
  ['GET', /^\/v1\/refunds(\/[^/]+)?$/, 'rak_refund_read'],
  ['POST', /^\/v1\/checkout\/sessions(\/[^/]+\/expire)?$/, 'rak_checkout_session_write'],
  ['GET', /^\/v1\/checkout\/sessions\/[^/]+$/, 'rak_checkout_session_read'],
  ['POST', /^\/v1\/billing_portal\/sessions$/, 'rak_portal_session_write'],
  ['GET', /^\/v1\/subscriptions\/[^/]+$/, 'rak_subscription_read'],
  ['POST', /^\/v1\/subscriptions(\/[^/]+)?$/, 'rak_subscription_write'],
  ['DELETE', /^\/v1\/subscriptions\/[^/]+$/, 'rak_subscription_write'],
  // Subscription items are the Subscriptions row's: "Update a subscription item" changes the subscription it belongs
  // to (a per-seat quantity), so a key that may not write subscriptions may not write their items either.
  ['GET', /^\/v1\/subscription_items(\/[^/]+)?$/, 'rak_subscription_read'],
  ['POST', /^\/v1\/subscription_items(\/[^/]+)?$/, 'rak_subscription_write'],
  ['DELETE', /^\/v1\/subscription_items\/[^/]+$/, 'rak_subscription_write'],
  ['GET', /^\/v1\/customers\/[^/]+$/, 'rak_customer_read'],
  ['POST', /^\/v1\/customers(\/[^/]+)?$/, 'rak_customer_write'],
];

/**
 * The `rak_` permission a request needs at the stand-in, or undefined for a route it does not serve.
 *
 * @example
 * ```ts
 * permissionOf('POST', '/v1/invoices/create_preview'); // 'rak_invoice_read'
 * ```
 */
export function permissionOf(method: string, path: string): string | undefined {
  return ROUTES.find(([m, re]) => m === method && re.test(path))?.[2];
}

/** Whether `granted` allows `needed`: the permission itself, or its `_write` for a `_read`. */
const allows = (granted: readonly string[], needed: string) =>
  granted.includes(needed) ||
  (needed.endsWith('_read') && granted.includes(`${needed.slice(0, -'_read'.length)}_write`));

/**
 * The 403 a restricted key holding `granted` gets for this request, or undefined when it may make it.
 *
 * @example
 * ```ts
 * refusedByKey('GET', '/v1/prices', 'rk_test_abc', ['rak_billing_meter_event_write'])?.status; // 403
 * ```
 */
export function refusedByKey(
  method: string,
  path: string,
  key: string,
  granted: readonly string[],
): { readonly status: number; readonly body: unknown } | undefined {
  const needed = permissionOf(method, path);
  if (needed === undefined || allows(granted, needed)) return undefined;
  // Stripe quotes the key masked: its prefix, asterisks and its last six characters.
  const masked = `${key.slice(0, 8)}${'*'.repeat(Math.max(4, key.length - 14))}${key.slice(-6)}`;
  return {
    status: 403,
    body: {
      error: {
        type: 'invalid_request_error',
        message:
          `The provided key '${masked}' does not have the required permissions for this endpoint on account ` +
          `'acct_1StandIn0000'. Having the '${needed}' permission would allow this request to continue.`,
      },
    },
  };
}

/**
 * What the stand-in answers a request's key, or undefined when it may go on: any key but the secret `key` and the
 * `restricted` ones is 401 as Stripe answers it (Stripe masks the key it quotes; `echoKey` is a Stripe that would not,
 * to prove the CLI masks it), and a restricted key outside its permissions 403 ({@link refusedByKey}).
 *
 * @example
 * ```ts
 * keyRefusal('Bearer sk_test_other', { key: 'sk_test_1' }, 'GET', '/v1/prices')?.status; // 401
 * ```
 */
export function keyRefusal(
  authorization: string,
  keys: {
    readonly key: string;
    readonly restrictedKeys?: Readonly<Record<string, readonly string[]>> | undefined;
    readonly echoKey?: boolean | undefined;
  },
  method: string,
  path: string,
): { readonly status: number; readonly body: unknown } | undefined {
  const sent = authorization.replace(/^Bearer /, '');
  const restricted = keys.restrictedKeys?.[sent];
  if (keys.echoKey || (authorization !== `Bearer ${keys.key}` && restricted === undefined)) {
    const quoted = keys.echoKey ? sent : `sk_test_****${authorization.slice(-4)}`;
    return {
      status: 401,
      body: {
        error: { type: 'invalid_request_error', message: `Invalid API Key provided: ${quoted}` },
      },
    };
  }
  return restricted ? refusedByKey(method, path, sent, restricted) : undefined;
}
