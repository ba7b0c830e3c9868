// Deliveries are signed as the Standard Webhooks specification says, checked by its maintained library
// (`standardwebhooks`) over arbitrary ids, timestamps and bodies; and the retry schedule's promises.
import fc from 'fast-check';
import { Webhook } from 'standardwebhooks';
import { describe, expect, it, vi } from 'vitest';
import { WEBHOOK_LIMITS } from '../../../src/contract/integrations/webhooks.js';
import { failedTooLong, nextAttemptAt } from '../../../src/runtime/webhooks/webhook-schedule.js';
import { retryAfterMs } from '../../../src/runtime/webhooks/webhook-send.js';
import {
  newWebhookSecret,
  signedHeaders,
} from '../../../src/runtime/webhooks/webhook-signature.js';

const DAY = 86_400_000;

describe('signedHeaders', () => {
  it('verifies with standardwebhooks for any message, and not once the body changes', () => {
    fc.assert(
      fc.property(
        fc.stringMatching(/^msg_[A-Za-z0-9_-]{1,30}$/),
        fc.integer({ min: 1_600_000_000, max: 2_000_000_000 }),
        fc.json(),
        (id, seconds, body) => {
          const secret = newWebhookSecret();
          const headers = signedHeaders(secret, id, seconds, body);
          const spy = vi.spyOn(Date, 'now').mockReturnValue(seconds * 1000);
          try {
            expect(new Webhook(secret).verify(body, headers)).toEqual(JSON.parse(body));
            expect(() => new Webhook(secret).verify(`${body} `, headers)).toThrow();
            expect(() => new Webhook(newWebhookSecret()).verify(body, headers)).toThrow();
          } finally {
            spy.mockRestore();
          }
        },
      ),
      { numRuns: 50 },
    );
  });
});

describe('nextAttemptAt', () => {
  it('never passes the 24 hours, honours Retry-After, and gives up once they are spent', () => {
    const window = WEBHOOK_LIMITS.retryHours * 3_600_000;
    fc.assert(
      fc.property(
        fc.integer({ min: 0, max: 2 * window }),
        fc.integer({ min: 1, max: 20 }),
        fc.option(fc.integer({ min: 0, max: 2 * window }), { nil: undefined }),
        (elapsed, attempts, retryAfter) => {
          const next = nextAttemptAt(0, attempts, elapsed, retryAfter);
          if (elapsed >= window) {
            expect(next).toBeUndefined();
            return;
          }
          expect(next).toBeDefined();
          expect(next!).toBeLessThanOrEqual(window);
          expect(next!).toBeGreaterThan(elapsed);
          if (retryAfter !== undefined)
            expect(next).toBe(Math.min(elapsed + Math.max(1000, retryAfter), window));
        },
      ),
    );
  });

  it('reads Retry-After as seconds or an HTTP date', () => {
    expect(retryAfterMs('120', 0)).toBe(120_000);
    expect(retryAfterMs('Wed, 21 Oct 2015 07:28:00 GMT', Date.parse('2015-10-21T07:27:00Z'))).toBe(
      60_000,
    );
    expect(retryAfterMs('soon', 0)).toBeUndefined();
  });

  it('disables after 3 days of failures, not before', () => {
    expect(
      failedTooLong(
        '2026-01-01T00:00:00.000Z',
        Date.parse('2026-01-01T00:00:00.000Z') + 3 * DAY - 1,
      ),
    ).toBe(false);
    expect(
      failedTooLong('2026-01-01T00:00:00.000Z', Date.parse('2026-01-01T00:00:00.000Z') + 3 * DAY),
    ).toBe(true);
    expect(failedTooLong(undefined, Date.now())).toBe(false);
  });
});
