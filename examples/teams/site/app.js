// Teams, no bundler: the people side is the elements (@atakora/component/elements, docs/elements.md) — the
// organization switcher (GET api/me/tenants, create one: you become its Owner), the members with invitations by
// e-mail (a link that works once), the invitation landing (?invitation=<token>: preview, accept, decline) and the
// organization's settings — each showing only what your role may do. The page's own part is the chosen
// organization's projects (X-Atakora-Tenant names it, as the elements do).
// Deployed, sign-in is MSAL.js (window.msal, from msal-browser.min.js beside index.html) with the config's `auth`, and
// the elements are dist/elements/atakora-elements.js of @atakora/component copied beside index.html; under `atakora
// dev` the config's `dev` names the caller (the page lets you switch to another local user) and dev serves the
// elements at /_atakora/elements.
const $ = (id) => document.getElementById(id);
const config = await (await fetch('/atakora.config.json')).json();
const { configure, currentOrganization } = await import(
  config.dev ? '/_atakora/elements' : '/atakora-elements.js'
);
const projectsUrl = config.apis.projects;
const DEV_USER_KEY = 'teams.devUser';

/** The bearer token deployed (MSAL.js); nothing under dev, whose user header the elements' fetch adds. */
async function tokenSource() {
  if (config.dev) return () => undefined;
  await new Promise((done, fail) =>
    document.head.append(
      Object.assign(document.createElement('script'), {
        src: '/msal-browser.min.js',
        onload: done,
        onerror: () =>
          fail(new Error('MSAL.js is missing: copy msal-browser.min.js next to index.html')),
      }),
    ),
  );
  const msal = globalThis.msal;
  if (!config.auth)
    throw new Error('This site has no sign-in registration (auth) in its atakora.config.json');
  const app = new msal.PublicClientApplication({
    auth: {
      clientId: config.auth.clientId,
      authority: config.auth.authority,
      redirectUri: location.href,
    },
  });
  await app.initialize();
  const result = await app.handleRedirectPromise();
  const account = result?.account ?? app.getAllAccounts()[0];
  if (!account) {
    await app.loginRedirect({ scopes: config.auth.scopes });
    return new Promise(() => undefined);
  }
  return async () =>
    (await app.acquireTokenSilent({ account, scopes: config.auth.scopes })).accessToken;
}

const devUser = config.dev ? (localStorage.getItem(DEV_USER_KEY) ?? config.dev.user) : undefined;
const getToken = await tokenSource();
/** fetch, signed in: the bearer token deployed, the dev user header locally. */
const signedFetch = async (url, init = {}) => {
  const token = await getToken();
  return fetch(url, {
    ...init,
    headers: {
      ...init.headers,
      ...(devUser ? { [config.dev.userHeader]: devUser } : {}),
      ...(token ? { authorization: `Bearer ${token}` } : {}),
    },
  });
};
configure({
  config,
  getToken: () => undefined,
  fetch: signedFetch,
  // Under dev a member's id is its e-mail (lower case); deployed, the elements read it from the token.
  ...(devUser ? { userId: devUser.toLowerCase() } : {}),
});

/** The chosen organization's projects (the app's own data, in the organization the elements chose). */
async function showProjects() {
  const org = currentOrganization();
  $('org').hidden = !org;
  if (!org) return;
  $('org').dataset.id = org;
  const res = await signedFetch(projectsUrl, { headers: { 'x-atakora-tenant': org } });
  const body = await res.json().catch(() => undefined);
  if (!res.ok) throw new Error(body?.detail ?? res.statusText);
  $('projects').replaceChildren(
    ...body.items.map((p) =>
      Object.assign(document.createElement('li'), { textContent: p.name, className: 'project' }),
    ),
  );
  $('projects').dataset.loaded = 'true';
  $('status').textContent = '';
}

const fail = (e) => {
  $('status').textContent = String(e.message ?? e);
};
const refresh = () => showProjects().catch(fail);
// The switcher chose, created or joined an organization: show its projects.
document.addEventListener('atakora-organization-change', refresh);
document.addEventListener('atakora-change', refresh);

$('new-project').addEventListener('submit', async (event) => {
  event.preventDefault();
  try {
    const res = await signedFetch(projectsUrl, {
      method: 'POST',
      headers: { 'x-atakora-tenant': currentOrganization(), 'content-type': 'application/json' },
      body: JSON.stringify({ name: $('project-name').value.trim() }),
    });
    if (!res.ok)
      throw new Error((await res.json().catch(() => undefined))?.detail ?? res.statusText);
    $('project-name').value = '';
    await showProjects();
  } catch (e) {
    fail(e);
  }
});

$('dev-user').addEventListener('submit', (event) => {
  event.preventDefault();
  localStorage.setItem(DEV_USER_KEY, $('dev-email').value.trim());
  location.reload();
});

$('who').textContent = devUser ? `Signed in as ${devUser} (atakora dev)` : 'Signed in';
$('who').dataset.signedIn = 'true';
if (devUser) {
  $('dev-user').hidden = false;
  $('dev-email').value = devUser;
}
await refresh();
