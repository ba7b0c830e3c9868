// Teams, no bundler: sign in, list your organizations (GET api/me/tenants), create one (POST api/tenants: you become
// its Owner), invite colleagues by email (POST api/tenant/invitations: a link that works once), accept an invitation
// from its link (POST api/invitations/accept), and keep the chosen organization's projects. Every request that acts
// in an organization names it in X-Atakora-Tenant (the typed client's createClient({ tenant }) does the same).
// Deployed, sign-in is MSAL.js (window.msal, from msal-browser.min.js beside index.html) with the config's `auth`;
// under `atakora dev` the config's `dev` names the caller, and the page lets you switch to another local user.
const $ = (id) => document.getElementById(id);
const config = await (await fetch('/atakora.config.json')).json();
const projectsUrl = config.apis.projects;
// The API's root: api/me/tenants, api/tenants, api/tenant/members … beside the projects route.
const api = new URL('..', `${projectsUrl}/`).href;
const DEV_USER_KEY = 'teams.devUser';

/** Headers that sign a request in: a bearer token deployed, the dev user header locally. */
async function signedIn() {
  if (config.dev)
    return { [config.dev.userHeader]: localStorage.getItem(DEV_USER_KEY) ?? config.dev.user };
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
  const { accessToken } = await app.acquireTokenSilent({ account, scopes: config.auth.scopes });
  return { authorization: `Bearer ${accessToken}` };
}

let headers;
let current;

/** One API call: JSON in and out, the organization named when given, a problem thrown with its code. */
async function call(method, path, { body, org } = {}) {
  const res = await fetch(new URL(path, api), {
    method,
    headers: {
      ...headers,
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

const item = (text, attrs = {}) =>
  Object.assign(document.createElement('li'), { textContent: text, ...attrs });

async function showOrganizations() {
  const { items } = await call('GET', 'me/tenants');
  $('orgs').replaceChildren(
    ...items.map((o) => {
      const li = document.createElement('li');
      li.className = 'org';
      li.dataset.id = o.id;
      const open = Object.assign(document.createElement('button'), { textContent: o.name ?? o.id });
      open.addEventListener('click', () => choose(o).catch(fail));
      li.append(open, ` ${o.roles.join(', ') || 'member'}`);
      return li;
    }),
  );
  $('orgs').dataset.loaded = 'true';
  return items;
}

async function choose(org) {
  current = org;
  localStorage.setItem(`teams.org.${JSON.stringify(headers)}`, org.id);
  $('org').hidden = false;
  $('org-title').textContent = org.name ?? org.id;
  $('org').dataset.id = org.id;
  await Promise.all([showProjects(), showMembers()]);
}

async function showProjects() {
  const { items } = await call('GET', 'projects', { org: current.id });
  $('projects').replaceChildren(...items.map((p) => item(p.name, { className: 'project' })));
  $('projects').dataset.loaded = 'true';
}

async function showMembers() {
  const { items } = await call('GET', 'tenant/members', { org: current.id });
  $('members').replaceChildren(
    ...items.map((m) =>
      item(`${m.email ?? m.userId} — ${m.roles.join(', ') || 'member'}`, { className: 'member' }),
    ),
  );
}

function fail(e) {
  $('status').textContent = String(e.message ?? e);
}

$('new-org').addEventListener('submit', async (event) => {
  event.preventDefault();
  try {
    const org = await call('POST', 'tenants', { body: { name: $('org-name').value.trim() } });
    $('org-name').value = '';
    const mine = await showOrganizations();
    await choose(mine.find((o) => o.id === org.id) ?? { ...org, roles: ['Owner'] });
  } catch (e) {
    fail(e);
  }
});

$('new-project').addEventListener('submit', async (event) => {
  event.preventDefault();
  try {
    await call('POST', 'projects', {
      org: current.id,
      body: { name: $('project-name').value.trim() },
    });
    $('project-name').value = '';
    await showProjects();
  } catch (e) {
    fail(e);
  }
});

$('invite').addEventListener('submit', async (event) => {
  event.preventDefault();
  try {
    const created = await call('POST', 'tenant/invitations', {
      org: current.id,
      body: { email: $('invite-email').value.trim(), roles: [$('invite-role').value] },
    });
    Object.assign($('invite-link'), { href: created.acceptUrl, textContent: created.acceptUrl });
    $('invitation').hidden = false;
    $('invite-email').value = '';
  } catch (e) {
    fail(e);
  }
});

$('dev-user').addEventListener('submit', (event) => {
  event.preventDefault();
  localStorage.setItem(DEV_USER_KEY, $('dev-email').value.trim());
  location.reload();
});

try {
  headers = await signedIn();
  const me = config.dev ? Object.values(headers)[0] : 'you';
  $('who').textContent = config.dev ? `Signed in as ${me} (atakora dev)` : 'Signed in';
  $('who').dataset.signedIn = 'true';
  if (config.dev) {
    $('dev-user').hidden = false;
    $('dev-email').value = me;
  }
  // An invitation's link (?invitation=<token>): say who invites whom to what (GET api/invitations/preview, no
  // sign-in needed), join its organization, and forget the token only once the accept succeeded (it works once):
  // signed in with the wrong account, the link stays in the address bar to try again with the invited one.
  const params = new URLSearchParams(location.search);
  const token = params.get('invitation') ?? params.get('token');
  let joined;
  if (token) {
    const preview = await call(
      'GET',
      `invitations/preview?${new URLSearchParams({ invitation: token })}`,
    ).catch((e) => {
      fail(e);
      return undefined;
    });
    if (preview) {
      // textContent: the organization's and the inviter's names are other people's words.
      $('status').textContent =
        `${preview.invitedBy.name} invites ${preview.emailHint} to ${preview.organization.name} ` +
        `as ${preview.roles.join(', ') || 'a member'}.`;
      joined = await call('POST', 'invitations/accept', { body: { token } }).catch((e) => {
        fail(e);
        return undefined;
      });
      if (joined) history.replaceState(null, '', location.pathname);
    }
  }
  const mine = await showOrganizations();
  const saved = localStorage.getItem(`teams.org.${JSON.stringify(headers)}`);
  const first =
    mine.find((o) => o.id === joined?.tenant) ?? mine.find((o) => o.id === saved) ?? mine[0];
  if (first) await choose(first);
} catch (e) {
  fail(e);
}
