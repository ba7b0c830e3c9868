// Plans, no bundler: the organization and its plan are the elements (@atakora/component/elements, docs/elements.md)
// — the switcher (create one: you are its Owner) and the plan (GET api/tenant, GET api/plans: features, limits, every
// plan as a package; the Owner's Upgrade goes to Stripe Checkout through POST api/tenant/billing/checkout { plan },
// the server picking the price, and comes back with ?billing=success once paid; Manage billing opens Stripe's
// Customer Portal). The page's own part: the limits and this period's invoice as Stripe previews it (GET
// api/tenant/billing, Owners and Admins). The plan changes when Stripe's signed webhook reaches the API, never from
// this page. Signed in under `atakora dev` as the config's `dev` user (dev serves the elements at
// /_atakora/elements); deployed, sign in with MSAL.js as examples/teams/site/app.js does, pass its token as
// `getToken`, and copy dist/elements/atakora-elements.js of @atakora/component beside index.html.
const $ = (id) => document.getElementById(id);
const config = await (await fetch('/atakora.config.json')).json();
const { configure, currentOrganization } = await import(
  config.dev ? '/_atakora/elements' : '/atakora-elements.js'
);
// The API's root: api/tenant, api/tenant/billing … beside the projects route.
const api = new URL('..', `${config.apis.projects}/`).href;
const devHeaders = config.dev ? { [config.dev.userHeader]: config.dev.user } : {};
configure({
  config,
  getToken: () => undefined,
  fetch: (url, init = {}) => fetch(url, { ...init, headers: { ...init.headers, ...devHeaders } }),
});

/** One GET in the organization the elements chose: its JSON, or undefined when refused. */
async function get(path) {
  const res = await fetch(new URL(path, api), {
    headers: { ...devHeaders, 'x-atakora-tenant': currentOrganization() },
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

if (config.dev) $('who').textContent = `Signed in as ${config.dev.user} (atakora dev)`;
else fail(new Error('Sign-in: see the comment at the top of app.js.'));
// Back from Stripe: Checkout's success or cancel URL. The webhook has already moved the plan when Stripe says paid;
// the page only reads it.
const back = new URLSearchParams(location.search).get('billing');
if (back) history.replaceState(null, '', location.pathname);
if (back === 'success') $('status').textContent = 'Payment received: your plan is updated.';
if (back === 'canceled') $('status').textContent = 'Checkout canceled: nothing changed.';
await refresh();
