// Shop, no bundler. A customer signs in through the external tenant — MSAL.js (window.msal, from msal-browser.min.js
// beside index.html) against the ciamlogin.com authority atakora.config.json names; the user flow offers an email
// code, Google or Facebook — then creates a household (POST api/tenants) and keeps its shopping lists, every request
// naming the household in X-Atakora-Tenant. Under `atakora dev` the config's `dev` names the caller instead.
const config = await (await fetch('/atakora.config.json')).json();
const byId = (id) => document.getElementById(id);
// The API's root (api/me/tenants, api/tenants …) beside the lists route.
const apiRoot = new URL('..', `${config.apis.lists}/`).href;

const loadScript = (src) =>
  new Promise((loaded, failed) => {
    const script = Object.assign(document.createElement('script'), { src });
    script.onload = loaded;
    script.onerror = () =>
      failed(new Error(`${src} is missing: copy msal-browser.min.js beside index.html`));
    document.head.append(script);
  });

/** Who is signed in, and the headers that carry it: a token from the external tenant, or the dev caller. */
async function signIn() {
  if (config.dev)
    return {
      who: config.dev.user,
      headers: async () => ({ [config.dev.userHeader]: config.dev.user }),
    };
  if (!config.auth)
    throw new Error('atakora.config.json names no sign-in (auth): the site has no registration');
  if (!globalThis.msal) await loadScript('/msal-browser.min.js');
  const { PublicClientApplication, InteractionRequiredAuthError } = globalThis.msal;
  // The authority is https://<subdomain>.ciamlogin.com/<tenant id>: MSAL reads the tenant's OpenID metadata there.
  const msal = new PublicClientApplication({
    auth: {
      clientId: config.auth.clientId,
      authority: config.auth.authority,
      redirectUri: location.origin,
    },
    cache: { cacheLocation: 'sessionStorage' },
  });
  await msal.initialize();
  const returned = await msal.handleRedirectPromise();
  const account = returned?.account ?? msal.getAllAccounts()[0];
  const scopes = [...config.auth.scopes];
  if (!account) {
    await msal.loginRedirect({ scopes });
    return new Promise(() => undefined); // the page is leaving for the sign-in
  }
  msal.setActiveAccount(account);
  byId('sign-out').hidden = false;
  byId('sign-out').addEventListener('click', () => msal.logoutRedirect());
  return {
    who: account.username || account.name || 'you',
    async headers() {
      try {
        const { accessToken } = await msal.acquireTokenSilent({ account, scopes });
        return { authorization: `Bearer ${accessToken}` };
      } catch (e) {
        if (e instanceof InteractionRequiredAuthError) await msal.acquireTokenRedirect({ scopes });
        throw e;
      }
    },
  };
}

let session;
let household;

/** One API call as the signed-in customer: JSON both ways; a problem document becomes an Error with its code. */
async function api(method, path, body) {
  const res = await fetch(new URL(path, apiRoot), {
    method,
    headers: {
      ...(await session.headers()),
      ...(household ? { 'x-atakora-tenant': household.id } : {}),
      ...(body === undefined ? {} : { 'content-type': 'application/json' }),
    },
    ...(body === undefined ? {} : { body: JSON.stringify(body) }),
  });
  const data = res.status === 204 ? undefined : await res.json().catch(() => undefined);
  if (res.ok) return data;
  const code = String(data?.type ?? `HTTP ${res.status}`).replace('urn:atakora:problem:', '');
  throw new Error(`${code}: ${data?.detail ?? res.statusText}`);
}

const show = (error) => {
  byId('status').textContent = String(error?.message ?? error);
};

async function households() {
  household = undefined;
  const { items } = await api('GET', 'me/tenants');
  byId('homes').replaceChildren(
    ...items.map((h) => {
      const li = document.createElement('li');
      const open = Object.assign(document.createElement('button'), { textContent: h.name ?? h.id });
      open.addEventListener('click', () => enter(h).catch(show));
      li.append(open);
      return li;
    }),
  );
  return items;
}

async function enter(h) {
  household = h;
  byId('home').hidden = false;
  byId('home-title').textContent = h.name ?? h.id;
  const { items } = await api('GET', 'lists');
  byId('lists').replaceChildren(
    ...items.map((l) =>
      Object.assign(document.createElement('li'), { textContent: l.name, className: 'list' }),
    ),
  );
  byId('lists').dataset.loaded = 'true';
}

byId('new-home').addEventListener('submit', async (event) => {
  event.preventDefault();
  try {
    household = undefined;
    const created = await api('POST', 'tenants', { name: byId('home-name').value.trim() });
    byId('home-name').value = '';
    const mine = await households();
    await enter(mine.find((h) => h.id === created.id) ?? created);
  } catch (e) {
    show(e);
  }
});

byId('new-list').addEventListener('submit', async (event) => {
  event.preventDefault();
  try {
    await api('POST', 'lists', { name: byId('list-name').value.trim() });
    byId('list-name').value = '';
    await enter(household);
  } catch (e) {
    show(e);
  }
});

try {
  session = await signIn();
  byId('who').textContent = `Signed in as ${session.who}${config.dev ? ' (atakora dev)' : ''}`;
  byId('who').dataset.signedIn = 'true';
  const [first] = await households();
  if (first) await enter(first);
} catch (e) {
  show(e);
}
