// Idempotent requests, as Stripe's API v1 answers them (API reference, "Idempotent requests",
// https://docs.stripe.com/api/idempotent_requests): "Stripe saves the status code and body of the first request made
// with a given idempotency key after endpoint execution begins. Retries with the same key return the saved response,
// including `500` errors", and "The idempotency layer compares incoming parameters to those of the original request
// and errors if they're not the same to prevent accidental misuse" (docs.stripe.com/idempotency) — an
// `idempotency_error` ("Idempotency errors occur when an Idempotency-Key is re-used on a request that does not match
// the first request's API endpoint and parameters", API reference, "Errors"). A replay carries
// `Idempotent-Replayed: true`, as Stripe's answers do.

interface Saved {
  readonly endpoint: string;
  readonly params: string;
  readonly status: number;
  readonly body: unknown;
}

/** An answer, and the headers a replay adds. */
export interface IdempotentAnswer {
  readonly status: number;
  readonly body: unknown;
  readonly headers?: Readonly<Record<string, string>>;
}

/**
 * The stand-in's idempotency layer: `answer` runs a POST once per `Idempotency-Key` (its status and body saved), a
 * retry with the same key and parameters gets the saved answer, one with other parameters or another endpoint 400
 * `idempotency_error`. A request without a key runs every time.
 *
 * @example
 * ```ts
 * const layer = idempotencyLayer();
 * layer.answer('POST', '/v1/refunds', 'payment_intent=pi_1', 'refund-sub_1', () => ({ status: 200, body: refund }));
 * ```
 */
export function idempotencyLayer(): {
  answer(
    method: string,
    path: string,
    params: string,
    key: string | undefined,
    run: () => IdempotentAnswer,
  ): IdempotentAnswer;
} {
  const saved = new Map<string, Saved>();
  return {
    answer(method, path, params, key, run) {
      if (method !== 'POST' || !key) return run();
      const endpoint = `${method} ${path}`;
      const before = saved.get(key);
      if (before) {
        if (before.endpoint !== endpoint || before.params !== params)
          return {
            status: 400,
            body: {
              error: {
                type: 'idempotency_error',
                message:
                  'Keys for idempotent requests can only be used with the same parameters they were first used ' +
                  `with. Try using a key other than '${key}' if you meant to execute a different request.`,
              },
            },
          };
        return {
          status: before.status,
          body: before.body,
          headers: { 'idempotent-replayed': 'true' },
        };
      }
      const out = run();
      saved.set(key, { endpoint, params, status: out.status, body: structuredClone(out.body) });
      return out;
    },
  };
}
