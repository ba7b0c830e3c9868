// Plans, no bundler: the organization and its plan are the elements (@atakora/component/elements, docs/elements.md)
// — the switcher (create one: you are its Owner) and the plan (GET api/tenant, GET api/plans: features, limits, every
// plan as a package; the Owner's Upgrade goes to Stripe Checkout through POST api/tenant/billing/checkout { plan },
// the server picking the price, and comes back with ?billing=success once paid; Manage billing opens Stripe's
// Customer Portal). The page's own part: the limits and this period's invoice as Stripe previews it (GET
// api/tenant/billing, Owners and Admins). The plan changes when Stripe's signed webhook reaches the API, never from
// this page.
// Sign-in as a deployment does it: MSAL.js (window.msal, from msal-browser.min.js of @azure/msal-browser copied
// beside index.html, as examples/teams) with the config's `auth` — redirect sign-in, then `acquireTokenSilent` gives
// the elements and the page their bearer token. Under `atakora dev` the config's `dev` signs you in instead: the token
// provider gives nothing and `configure` adds dev's user header (`localStorage.devUser` names another local user);
// dev serves the elements at /_atakora/elements, deployed copy dist/elements/atakora-elements.js beside index.html.
const $ = (id) => document.getElementById(id);
const config = await (await fetch('/atakora.config.json')).json();
const { configure, currentOrganization } = await import(
  config.dev ? '/_atakora/elements' : '/atakora-elements.js'
);
// The API's root: api/tenant, api/tenant/billing … beside the projects route.
const api = new URL('..', `${config.apis.projects}/`).href;

/** MSAL.js, loaded from beside index.html: the `msal` global of msal-browser.min.js. */
function loadMsal() {
  return new Promise((done, fail) =>
    document.head.append(
      Object.assign(document.createElement('script'), {
        src: '/msal-browser.min.js',
        onload: () => done(globalThis.msal),
        onerror: () =>
          fail(new Error('MSAL.js is missing: copy msal-browser.min.js next to index.html')),
      }),
    ),
  );
}

/**
 * The token provider: deployed, MSAL.js — back from the sign-in redirect, or the account it remembers, else off to
 * sign in (`loginRedirect`) — and each token from `acquireTokenSilent`, which renews it from MSAL's cache; under
 * `atakora dev`, nothing (dev's user header signs the requests in).
 */
async function signIn() {
  if (config.dev) return { who: undefined, getToken: () => undefined };
  if (!config.auth)
    throw new Error('This site has no sign-in registration (auth) in its atakora.config.json');
  const msal = await loadMsal();
  const app = new msal.PublicClientApplication({
    auth: {
      clientId: config.auth.clientId,
      authority: config.auth.authority,
      redirectUri: location.origin + location.pathname,
    },
  });
  await app.initialize();
  const result = await app.handleRedirectPromise();
  const account = result?.account ?? app.getAllAccounts()[0];
  if (!account) {
    await app.loginRedirect({ scopes: config.auth.scopes });
    return new Promise(() => undefined); // the browser leaves for the sign-in pages
  }
  // Silent first, interactive when Entra asks for it ("Single-page application: Acquire a token to call an API",
  // https://learn.microsoft.com/entra/identity-platform/scenario-spa-acquire-token: "The pattern for acquiring tokens
  // for APIs with MSAL.js is to first attempt a silent token request by using the acquireTokenSilent method", and
  // when it fails — a password change, a Conditional Access policy, an expired session — "you should invoke one of
  // the interactive methods").
  const getToken = async () => {
    const request = { account, scopes: config.auth.scopes };
    try {
      return (await app.acquireTokenSilent(request)).accessToken;
    } catch (e) {
      if (!(e instanceof msal.InteractionRequiredAuthError)) throw e;
      await app.acquireTokenRedirect(request);
      return new Promise(() => undefined); // the browser leaves for the sign-in pages
    }
  };
  return { who: account.username, getToken };
}

const { who, getToken } = await signIn();
// Under dev, configure (no fetch of ours) signs the elements in as dev's user; deployed they carry getToken's token.
configure({ config, getToken });
const devUser = config.dev ? (localStorage.getItem('devUser') ?? config.dev.user) : undefined;

/** One GET in the organization the elements chose, signed in as they are: its JSON, or undefined when refused. */
async function get(path) {
  const token = await getToken();
  const res = await fetch(new URL(path, api), {
    headers: {
      'x-atakora-tenant': currentOrganization(),
      ...(devUser ? { [config.dev.userHeader]: devUser } : {}),
      ...(token ? { authorization: `Bearer ${token}` } : {}),
    },
  });
  return res.ok ? res.json() : undefined;
}

const money = (invoice) =>
  `${(invoice.total / 100).toFixed(2)} ${String(invoice.currency).toUpperCase()}`;

async function show() {
  const org = currentOrganization();
  $('org').hidden = !org;
  if (!org) return;
  // tenant/billing: Owners and Admins only (a Member's 403 leaves the invoice out).
  const [tenant, billing] = await Promise.all([get('tenant'), get('tenant/billing')]);
  if (!tenant) return;
  $('rpm').textContent = String(tenant.limits.requestsPerMinute ?? 'unbounded');
  $('storage').textContent = String(tenant.limits.storageMb ?? 'unbounded');
  $('subscription').textContent = billing?.subscription ? billing.subscription.status : 'none';
  $('invoice').textContent = billing?.invoice ? money(billing.invoice) : '—';
  Object.assign($('org').dataset, { id: org, plan: tenant.plan, loaded: 'true' });
}

const fail = (e) => {
  $('status').textContent = String(e.message ?? e);
};
const refresh = () => show().catch(fail);
document.addEventListener('atakora-organization-change', refresh);
document.addEventListener('atakora-change', refresh);

$('who').textContent = devUser ? `Signed in as ${devUser} (atakora dev)` : `Signed in as ${who}`;
// Back from Stripe: Checkout's success or cancel URL. The webhook has already moved the plan when Stripe says paid;
// the page only reads it.
const back = new URLSearchParams(location.search).get('billing');
if (back) history.replaceState(null, '', location.pathname);
if (back === 'success') $('status').textContent = 'Payment received: your plan is updated.';
if (back === 'canceled') $('status').textContent = 'Checkout canceled: nothing changed.';
await refresh();
