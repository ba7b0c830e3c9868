// Plans, no bundler: the organization's plan and limits (GET api/tenant), its subscription and next invoice as Stripe
// previews it (GET api/tenant/billing, Owners and Admins), and the Owner's buttons: Upgrade (POST
// api/tenant/billing/checkout { plan }: the server picks the price; the browser goes to Stripe Checkout and comes
// back with ?billing=success once paid) and Manage billing (POST api/tenant/billing/portal: Stripe's Customer
// Portal). The plan changes when Stripe's signed webhook reaches the API, never from this page.
// Signed in under `atakora dev` as the config's `dev` user; deployed, sign in with MSAL.js as
// examples/teams/site/app.js does and send its bearer token instead.
const $ = (id) => document.getElementById(id);
const config = await (await fetch('/atakora.config.json')).json();
// The API's root: api/tenant, api/tenant/billing … beside the projects route.
const api = new URL('..', `${config.apis.projects}/`).href;
const ORG_KEY = 'plans.org';

/** One API call: JSON in and out, the organization named when given, a problem thrown with its code. */
async function call(method, path, { body, org } = {}) {
  const res = await fetch(new URL(path, api), {
    method,
    headers: {
      [config.dev.userHeader]: config.dev.user,
      ...(org ? { 'x-atakora-tenant': org } : {}),
      ...(body === undefined ? {} : { 'content-type': 'application/json' }),
    },
    ...(body === undefined ? {} : { body: JSON.stringify(body) }),
  });
  const data = res.status === 204 ? undefined : await res.json().catch(() => undefined);
  if (!res.ok) {
    const code = String(data?.type ?? '').replace('urn:atakora:problem:', '');
    throw new Error(`${code || `HTTP ${res.status}`}: ${data?.detail ?? res.statusText}`);
  }
  return data;
}

const money = (invoice) =>
  `${(invoice.total / 100).toFixed(2)} ${String(invoice.currency).toUpperCase()}`;

async function show(org) {
  localStorage.setItem(ORG_KEY, org.id);
  const owner = org.roles.includes('Owner');
  const [tenant, billing] = await Promise.all([
    call('GET', 'tenant', { org: org.id }),
    // Owners and Admins only: a Member sees the plan, not the invoice.
    owner || org.roles.includes('Admin') ? call('GET', 'tenant/billing', { org: org.id }) : null,
  ]);
  $('org-title').textContent = org.name ?? org.id;
  $('plan').textContent = tenant.plan;
  $('rpm').textContent = String(tenant.limits.requestsPerMinute ?? 'unbounded');
  $('storage').textContent = String(tenant.limits.storageMb ?? 'unbounded');
  $('subscription').textContent = billing?.subscription ? billing.subscription.status : 'none';
  $('invoice').textContent = billing?.invoice ? money(billing.invoice) : '—';
  $('upgrade').hidden = !owner || tenant.plan === 'pro';
  $('portal').hidden = !owner || !billing?.subscription;
  Object.assign($('org'), { hidden: false });
  Object.assign($('org').dataset, { id: org.id, plan: tenant.plan, loaded: 'true' });
}

async function start() {
  const { items } = await call('GET', 'me/tenants');
  const saved = localStorage.getItem(ORG_KEY);
  const org = items.find((o) => o.id === saved) ?? items[0];
  $('new-org').hidden = Boolean(org);
  if (org) await show(org);
  return org;
}

const fail = (e) => {
  $('status').textContent = String(e.message ?? e);
};
/** Where a button sends the browser: the `{ url }` a billing route answers (Stripe's page). */
const goTo = (path, body) => async () => {
  try {
    const { url } = await call('POST', path, { org: $('org').dataset.id, body });
    location.assign(url);
  } catch (e) {
    fail(e);
  }
};
$('upgrade').addEventListener('click', goTo('tenant/billing/checkout', { plan: 'pro' }));
$('portal').addEventListener('click', goTo('tenant/billing/portal', {}));
$('new-org').addEventListener('submit', async (event) => {
  event.preventDefault();
  try {
    const org = await call('POST', 'tenants', { body: { name: $('org-name').value.trim() } });
    localStorage.setItem(ORG_KEY, org.id);
    await start();
  } catch (e) {
    fail(e);
  }
});

try {
  if (!config.dev) throw new Error('Sign-in: see the comment at the top of app.js.');
  $('who').textContent = `Signed in as ${config.dev.user} (atakora dev)`;
  // Back from Stripe: Checkout's success or cancel URL. The webhook has already moved the plan when Stripe says
  // paid; the page only reads it.
  const back = new URLSearchParams(location.search).get('billing');
  if (back) history.replaceState(null, '', location.pathname);
  if (back === 'success') $('status').textContent = 'Payment received: your plan is updated.';
  if (back === 'canceled') $('status').textContent = 'Checkout canceled: nothing changed.';
  await start();
} catch (e) {
  fail(e);
}
