import { createHmac, randomBytes } from 'node:crypto';
import { WEBHOOK_SECRET_PREFIX } from '../../contract/integrations/webhooks.js';

/**
 * A new endpoint's signing secret: `whsec_` and 32 random bytes in base64, as the Standard Webhooks specification
 * serializes symmetric secrets ("Signature scheme", https://github.com/standard-webhooks/standard-webhooks/blob/main/spec/standard-webhooks.md:
 * secrets are base64 behind the `whsec_` prefix, so a receiver's library reads them as given).
 *
 * @example
 * ```ts
 * newWebhookSecret(); // 'whsec_Zk3q…'
 * ```
 */
export function newWebhookSecret(): string {
  return `${WEBHOOK_SECRET_PREFIX}${randomBytes(32).toString('base64')}`;
}

/**
 * The headers of one delivery as the Standard Webhooks specification names them (same URL, "Signature scheme"):
 * `webhook-id` (the message id, the same on every attempt), `webhook-timestamp` (integer seconds since the epoch,
 * this attempt's), `webhook-signature` — `v1,` and the base64 HMAC-SHA256 of `<id>.<timestamp>.<body>` keyed by the
 * base64-decoded secret after `whsec_`. The receiver refuses a timestamp far from its clock (the libraries: 5
 * minutes), which is what stops a replayed delivery; a retry is signed again with its own timestamp.
 *
 * @example
 * ```ts
 * signedHeaders('whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw', 'msg_1', 1674087231, '{"type":"x"}')['webhook-signature']; // 'v1,…'
 * ```
 */
export function signedHeaders(
  secret: string | readonly string[],
  id: string,
  timestampSeconds: number,
  body: string,
): Record<'webhook-id' | 'webhook-timestamp' | 'webhook-signature', string> {
  const timestamp = String(Math.floor(timestampSeconds));
  // During a rotation, one signature per secret: in the specification's "Signature scheme"
  // (https://github.com/standard-webhooks/standard-webhooks/blob/main/spec/standard-webhooks.md) `webhook-signature`
  // is a space-delimited list of `v1,<base64>` signatures, so a sender rotating its secret signs with both; the
  // receiver's library (standardwebhooks' `verify`: `split(" ")`) accepts the delivery when any one verifies.
  const signatures = (typeof secret === 'string' ? [secret] : secret).map((s) => {
    const key = Buffer.from(s.slice(WEBHOOK_SECRET_PREFIX.length), 'base64');
    return `v1,${createHmac('sha256', key).update(`${id}.${timestamp}.${body}`).digest('base64')}`;
  });
  return {
    'webhook-id': id,
    'webhook-timestamp': timestamp,
    'webhook-signature': signatures.join(' '),
  };
}

/**
 * The secrets an endpoint's deliveries are signed with at `now` (ms): its own, and the previous one while the
 * rotation's overlap lasts.
 *
 * @example
 * ```ts
 * signingSecrets({ secret: 'whsec_new', previousSecret: 'whsec_old', previousSecretUntil: '2026-11-30T01:00:00Z' }, Date.now());
 * ```
 */
export function signingSecrets(
  e: {
    readonly secret: string;
    readonly previousSecret?: string;
    readonly previousSecretUntil?: string;
  },
  now: number,
): readonly string[] {
  const keeps =
    e.previousSecret && e.previousSecretUntil && Date.parse(e.previousSecretUntil) > now;
  return keeps && e.previousSecret ? [e.secret, e.previousSecret] : [e.secret];
}
