import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type DnsStandIn, startDnsStandIn } from '../../src/entry/testing.js';
import { txtResolverOf } from '../../src/runtime/members/domains/domain-dns.js';

// The DNS stand-in users run (@atakora/component/testing) for verified domains under dev and in their tests, resolved
// by the runtime's own TXT lookup (node:dns's Resolver at `ATAKORA_DNS_SERVER`): the records set, joined as RFC 7208
// reads a split record, a name without records NXDOMAIN (no record, never "unreachable"), a stopped one unreachable.
let dns: DnsStandIn;

beforeAll(async () => {
  dns = await startDnsStandIn();
});
afterAll(async () => {
  await dns.close();
});

describe('startDnsStandIn', () => {
  it('answers the TXT records a test sets, at the address ATAKORA_DNS_SERVER takes', async () => {
    expect(dns.address).toBe(`127.0.0.1:${String(dns.port)}`);
    const resolve = txtResolverOf(dns.address);
    dns.setTxt('_atakora.Contoso.com.', ['atakora-verify=k3x9', 'v=spf1 -all']);
    expect([...((await resolve('_atakora.contoso.com')) as string[])].sort()).toEqual([
      'atakora-verify=k3x9',
      'v=spf1 -all',
    ]);
    expect(dns.txt('_ATAKORA.CONTOSO.COM')).toEqual(['atakora-verify=k3x9', 'v=spf1 -all']);
    // A record over 255 octets goes out as several <character-string>s, and comes back whole.
    const long = `atakora-verify=${'x'.repeat(600)}`;
    dns.setTxt('_atakora.long.example', [long]);
    expect(await resolve('_atakora.long.example')).toEqual([long]);
  });

  it('a name without records is NXDOMAIN (no record), one taken down too; the names asked are counted', async () => {
    const resolve = txtResolverOf(dns.address);
    dns.setTxt('_atakora.lapsing.example', ['atakora-verify=a']);
    expect(await resolve('_atakora.lapsing.example')).toEqual(['atakora-verify=a']);
    dns.deleteTxt('_atakora.lapsing.example');
    expect(await resolve('_atakora.lapsing.example')).toEqual([]);
    dns.setTxt('_atakora.empty.example', []);
    expect(await resolve('_atakora.empty.example')).toEqual([]);
    dns.clear();
    expect(await resolve('_atakora.contoso.com')).toEqual([]);
    expect(dns.asked.filter((n) => n === '_atakora.lapsing.example')).toHaveLength(2);
  });

  it('once closed, its address answers nothing: the lookup is unreachable, never "no record"', async () => {
    const gone = await startDnsStandIn();
    gone.setTxt('_atakora.contoso.com', ['atakora-verify=k3x9']);
    await gone.close();
    await gone.close(); // a second close is harmless
    expect(await txtResolverOf(gone.address)('_atakora.contoso.com')).toBe('unreachable');
  });
});
