/**
 * The invitation e-mail's ACS client as the Function App loads it: a file of its own (packaging/esm-package.ts
 * `EMAIL_FILE`, dist/runtime-app/atakora-email.js), bundled with its own copy of email-types.ts — so the main bundle
 * must tell its errors by name, not `instanceof`. Against the ACS stand-in answering 429 as ACS does: the built file's
 * throttled error is recognised as one (and is no instance of the source's class), with ACS's `Retry-After`.
 */
import { join, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  EmailThrottledError,
  isEmailSendError,
  throttledFor,
} from '../../src/runtime/email/email-types.js';
import type { acsEmailSender as Sender } from '../../src/runtime/email/atakora-email.js';
import { type AcsEmailStandIn, startAcsEmailStandIn } from '../support/acs-email-standin.js';

const built = pathToFileURL(
  join(resolve(import.meta.dirname, '../..'), 'dist/runtime-app/atakora-email.js'),
).href;
let acs: AcsEmailStandIn;
beforeAll(async () => {
  acs = await startAcsEmailStandIn();
});
afterAll(() => acs.close());

describe('the built e-mail client file', () => {
  it("throws a 429 as a throttled error the main bundle recognises by name, with ACS's Retry-After", async () => {
    const { acsEmailSender } = (await import(built)) as { acsEmailSender: typeof Sender };
    const sender = acsEmailSender({
      endpoint: acs.base,
      from: 'DoNotReply@example.com',
      accessKey: Buffer.from('stand-in').toString('base64'),
      retryDelayMs: 10,
      pollIntervalMs: 10,
    });
    acs.mode = 'throttled';
    acs.retryAfterSeconds = 7;
    const mail = { to: 'a@example.com', subject: 'Hi', text: 'Hi', html: '<p>Hi</p>' };
    const e = await sender.send(mail).catch((x: unknown) => x);
    expect(e).not.toBeInstanceOf(EmailThrottledError);
    expect(isEmailSendError(e)).toBe(true);
    expect(throttledFor(e)).toBe(7000);
    // Refused at once, never retried by the SDK: one request.
    expect(acs.requests.filter((r) => r === 'POST /emails:send')).toHaveLength(1);
    acs.mode = 'accept';
    await expect(sender.send(mail)).resolves.toBeUndefined();
  });
});
