// The parameters Stripe takes on each operation Atakora calls, as Stripe's OpenAPI lists them (github.com/stripe/
// openapi, OPENAPI_VERSION v2596 — API version 2026-10-28.endive, the one stripe-node 23.1.0 pins — each operation's
// request schema with `"additionalProperties": false` and its `required` list; the slice is
// test/testing/fixtures/stripe-openapi-slice.json, which test/testing/standin-spec-fidelity.test.ts holds this table
// to). Stripe refuses what the schema does not allow before it runs the request:
// - a parameter the operation does not take: 400 `parameter_unknown`, "Received unknown parameter: …"
//   (docs.stripe.com/error-codes/parameter-unknown: "The request contains one or more unexpected parameters. Remove
//   these and try again.");
// - a required one left out: 400 `parameter_missing` (docs.stripe.com/error-codes/parameter-missing: "One or more
//   required values are missing");
// - a value outside a parameter's enum: 400 `invalid_request_error` naming the parameter.
// Only top-level names are checked (`line_items[0][price]` is `line_items`'s). Such a refusal saves no idempotent
// result ("If incoming parameters fail validation … no idempotent result is saved", docs.stripe.com/api/
// idempotent_requests), so it is answered before the idempotency layer.

/** One operation: its method, path, the top-level parameters it takes, those required, and the enums checked. */
export interface StripeOperationParams {
  readonly method: string;
  readonly path: RegExp;
  readonly params: readonly string[];
  readonly required: readonly string[];
  readonly enums: Readonly<Record<string, readonly string[]>>;
}

const op = (
  method: string,
  path: RegExp,
  params: string,
  required = '',
  enums: Record<string, readonly string[]> = {},
): StripeOperationParams => ({
  method,
  path,
  params: params.split(' '),
  required: required === '' ? [] : required.split(' '),
  enums,
});

/** The operations the runtime and the CLI call, with the parameters the spec gives each. */
export const STRIPE_OPERATION_PARAMS: readonly StripeOperationParams[] = [
  op(
    'POST',
    /^\/v1\/billing\/meter_events$/,
    'event_name expand identifier payload timestamp',
    'event_name payload',
  ),
  op('GET', /^\/v1\/billing\/meters$/, 'ending_before expand limit starting_after status', '', {
    status: ['active', 'inactive'],
  }),
  op(
    'GET',
    /^\/v1\/billing\/meters\/[^\/]+\/event_summaries$/,
    'customer end_time ending_before expand limit start_time starting_after value_grouping_window',
    'customer end_time start_time',
    { value_grouping_window: ['day', 'hour'] },
  ),
  op(
    'POST',
    /^\/v1\/billing_portal\/sessions$/,
    'after_expiration configuration customer customer_account expand flow_data locale on_behalf_of return_url',
  ),
  op(
    'POST',
    /^\/v1\/checkout\/sessions$/,
    'adaptive_pricing after_expiration allow_promotion_codes allowed_payment_method_types automatic_tax billing_address_collection branding_settings cancel_url client_reference_id consent_collection currency custom_fields custom_text customer customer_account customer_creation customer_email customer_update discounts excluded_payment_method_types expand expires_at integration_identifier invoice_creation line_items locale managed_payments metadata mode name_collection optional_items origin_context payment_intent_data payment_method_collection payment_method_configuration payment_method_data payment_method_options permissions phone_number_collection redirect_on_completion return_url saved_payment_method_options setup_intent_data shipping_address_collection shipping_options submit_type subscription_data success_url tax_id_collection ui_mode wallet_options',
    '',
    { mode: ['payment', 'setup', 'subscription'] },
  ),
  op('GET', /^\/v1\/checkout\/sessions\/[^\/]+$/, 'expand'),
  op('POST', /^\/v1\/checkout\/sessions\/[^\/]+\/expire$/, 'expand'),
  op(
    'POST',
    /^\/v1\/customers$/,
    'address balance business_name cash_balance description email expand individual_name invoice_prefix invoice_settings metadata name next_invoice_sequence payment_method phone preferred_locales shipping source tax tax_exempt tax_id_data test_clock validate',
  ),
  op(
    'GET',
    /^\/v1\/prices$/,
    'active created currency ending_before expand limit lookup_keys product recurring starting_after type',
  ),
  op('GET', /^\/v1\/prices\/[^\/]+$/, 'expand'),
  op('GET', /^\/v1\/subscriptions\/[^\/]+$/, 'expand'),
  op(
    'POST',
    /^\/v1\/subscriptions\/[^\/]+$/,
    'add_invoice_items application_fee_percent automatic_tax billing_cycle_anchor billing_schedules billing_thresholds cancel_at cancel_at_period_end cancellation_details collection_method days_until_due default_payment_method default_source default_tax_rates description discounts expand invoice_settings items metadata off_session on_behalf_of pause_collection payment_behavior payment_settings pending_invoice_item_interval proration_behavior proration_date transfer_data trial_end trial_from_plan trial_settings',
  ),
  op('DELETE', /^\/v1\/subscriptions\/[^\/]+$/, 'cancellation_details expand invoice_now prorate'),
  op(
    'POST',
    /^\/v1\/subscription_items\/[^\/]+$/,
    'billing_thresholds current_trial discounts expand metadata off_session payment_behavior plan price price_data proration_behavior proration_date quantity tax_rates',
    '',
    { proration_behavior: ['always_invoice', 'create_prorations', 'none'] },
  ),
  op(
    'POST',
    /^\/v1\/invoices\/create_preview$/,
    'automatic_tax currency customer customer_account customer_details discounts expand invoice_items issuer on_behalf_of preview_mode schedule schedule_details subscription subscription_details',
  ),
  op('GET', /^\/v1\/invoices\/[^\/]+$/, 'expand'),
  op(
    'GET',
    /^\/v1\/invoice_payments$/,
    'created ending_before expand invoice limit payment starting_after status',
    '',
    { status: ['canceled', 'open', 'paid'] },
  ),
  op(
    'POST',
    /^\/v1\/refunds$/,
    'amount charge currency customer expand instructions_email metadata origin payment_intent reason refund_application_fee reverse_transfer',
  ),
];

type Answer = { readonly status: number; readonly body: unknown };

const refusal = (code: string | undefined, param: string, message: string): Answer => ({
  status: 400,
  body: {
    error: {
      type: 'invalid_request_error',
      ...(code
        ? { code, doc_url: `https://stripe.com/docs/error-codes/${code.replace('_', '-')}` }
        : {}),
      param,
      message,
    },
  },
});

/** The top-level parameter a form key sets: `line_items[0][price]` → `line_items`. */
const topOf = (key: string): string => key.split('[')[0] ?? key;

/**
 * Stripe's 400 for a request whose parameters its spec refuses (an unknown one, a required one missing, a value
 * outside an enum), or undefined when they pass or the operation is not one of {@link STRIPE_OPERATION_PARAMS}.
 *
 * @example
 * ```ts
 * paramRefusal('POST', '/v1/refunds', new URLSearchParams('payment_intnt=pi_1'))?.status; // 400 parameter_unknown
 * ```
 */
export function paramRefusal(
  method: string,
  path: string,
  params: URLSearchParams,
): Answer | undefined {
  const spec = STRIPE_OPERATION_PARAMS.find((o) => o.method === method && o.path.test(path));
  if (!spec) return undefined;
  const given = new Map<string, string>();
  for (const [k, v] of params) if (!given.has(topOf(k))) given.set(topOf(k), v);
  for (const name of given.keys())
    if (!spec.params.includes(name))
      return refusal('parameter_unknown', name, `Received unknown parameter: ${name}`);
  for (const name of spec.required)
    if (!given.has(name))
      return refusal('parameter_missing', name, `Missing required param: ${name}.`);
  for (const [name, values] of Object.entries(spec.enums)) {
    const v = given.get(name);
    if (v !== undefined && !values.includes(v))
      return refusal(undefined, name, `Invalid ${name}: must be one of ${values.join(', ')}`);
  }
  return undefined;
}
