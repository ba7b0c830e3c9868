// The webhook URL check (src/runtime/webhooks/webhook-url.ts): https only outside `atakora dev`, every resolved
// address refused when loopback, private, link-local, reserved or metadata (loopback allowed under dev alone).
import { describe, expect, it } from 'vitest';
import { checkWebhookUrl, type WebhookLookup } from '../../../src/runtime/webhooks/webhook-url.js';

const table =
  (answers: Record<string, string[]>): WebhookLookup =>
  (host) => {
    const a = answers[host];
    return a
      ? Promise.resolve(a.map((address) => ({ address, family: address.includes(':') ? 6 : 4 })))
      : Promise.reject(new Error('ENOTFOUND'));
  };
const deployed = {
  allowLoopback: false,
  lookup: table({
    'hooks.example.com': ['20.42.0.1'],
    'mixed.example.com': ['20.42.0.1', '10.0.0.7'],
    'v6.example.com': ['::ffff:127.0.0.1'],
  }),
};
const dev = { ...deployed, allowLoopback: true };

describe('checkWebhookUrl', () => {
  it('accepts a public https URL and names the address to connect to', async () => {
    const r = await checkWebhookUrl('https://hooks.example.com/a?b=1', deployed);
    expect(r).toMatchObject({ ok: true, address: { address: '20.42.0.1' } });
  });

  it.each([
    ['http://hooks.example.com/a', /https/],
    ['https://127.0.0.1/a', /loopback/],
    ['https://localhost.invalid/a', /does not resolve/],
    ['https://mixed.example.com/a', /10\.0\.0\.7/],
    ['https://v6.example.com/a', /::ffff:127\.0\.0\.1/],
    ['https://169.254.169.254/latest', /metadata/],
    ['https://[fe80::1]/a', /link-local|loopback/],
    ['https://user:pw@hooks.example.com/a', /password/],
    ['not a url', /absolute/],
    [`https://hooks.example.com/${'a'.repeat(2000)}`, /longer/],
  ])('refuses %s outside atakora dev', async (url, why) => {
    const r = await checkWebhookUrl(url, deployed);
    expect(r.ok).toBe(false);
    if (!r.ok) expect(r.why).toMatch(why);
  });

  it('under atakora dev allows http and loopback, never private or metadata addresses', async () => {
    expect((await checkWebhookUrl('http://127.0.0.1:7071/hook', dev)).ok).toBe(true);
    expect((await checkWebhookUrl('http://[::1]:7071/hook', dev)).ok).toBe(true);
    expect((await checkWebhookUrl('http://10.1.2.3/hook', dev)).ok).toBe(false);
    expect((await checkWebhookUrl('http://169.254.169.254/hook', dev)).ok).toBe(false);
    expect((await checkWebhookUrl('http://168.63.129.16/hook', dev)).ok).toBe(false);
  });
});
