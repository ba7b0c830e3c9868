// When a Checkout Session of the stand-in expires, as Stripe's API reference has it: "Create a Checkout Session",
// expires_at — "The Epoch time in seconds at which the Checkout Session will expire. It can be anywhere from 30
// minutes to 24 hours after Checkout Session creation. By default, this value is 24 hours from creation." — and "The
// Checkout Session object", status `expired`: "The checkout session is expired. No further processing will occur."

const MIN_S = 30 * 60;
const MAX_S = 24 * 3600;

/** A session's `expires_at` from the create form at `now` (seconds), or Stripe's 400 naming `expires_at`. */
export function expiresAtOf(
  form: URLSearchParams,
  now: number,
): number | { readonly status: number; readonly body: unknown } {
  const given = form.get('expires_at');
  if (given === null) return now + MAX_S;
  const at = Number(given);
  if (Number.isInteger(at) && at >= now + MIN_S && at <= now + MAX_S) return at;
  return {
    status: 400,
    body: {
      error: {
        type: 'invalid_request_error',
        param: 'expires_at',
        message:
          'The `expires_at` timestamp must be between 30 minutes and 24 hours after Checkout Session creation.',
      },
    },
  };
}

/**
 * Whether `session` is open past its `expires_at` at `now` (seconds): Stripe then holds it `expired` (and sends
 * `checkout.session.expired`), so it can no longer be paid.
 */
export const lapsed = (session: Readonly<Record<string, unknown>>, now: number): boolean =>
  session['status'] === 'open' && now >= Number(session['expires_at']);
