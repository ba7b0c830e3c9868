/**
 * Where Checkout and the Customer Portal send the customer back (DESIGN §2): `tenants.billing.returnUrl`, else the
 * site invitation links open, else the API's own origin — never the `Origin` or `Referer` a request says (an open
 * redirect through a Stripe page otherwise).
 */
import { HttpRequest } from '@azure/functions';
import { describe, expect, it } from 'vitest';
import { returnPage } from '../../src/runtime/routes/billing-checkout.js';

const subscriptions = { webhookSecret: 'S', prices: {}, onCanceled: 'default-plan' as const };
const hostile = new HttpRequest({
  method: 'POST',
  url: 'https://api-notes.azurewebsites.net/api/tenant/billing/checkout',
  headers: { origin: 'https://attacker.example', referer: 'https://attacker.example/x' },
});

describe('the billing routes’ return page', () => {
  it('is tenants.billing.returnUrl when configured', () => {
    expect(
      returnPage(
        { subscriptions: { ...subscriptions, returnUrl: 'https://app.contoso.com/billing' } },
        { acceptUrl: 'https://other.contoso.com/join' },
        hostile,
      ),
    ).toBe('https://app.contoso.com/billing');
  });

  it('is the site invitation links open (its origin), else the API’s own — never the request’s Origin', () => {
    expect(
      returnPage({ subscriptions }, { acceptUrl: 'https://app.contoso.com/join?x=1' }, hostile),
    ).toBe('https://app.contoso.com/');
    expect(returnPage({ subscriptions }, {}, hostile)).toBe('https://api-notes.azurewebsites.net/');
    // An accept URL that is no URL (an unresolved Key Vault reference): the API's own.
    expect(returnPage({ subscriptions }, { acceptUrl: '@Microsoft.KeyVault(…)' }, hostile)).toBe(
      'https://api-notes.azurewebsites.net/',
    );
  });
});
