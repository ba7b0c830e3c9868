// Team notes, no bundler: read the site's atakora.config.json, sign in, then list and create notes, and keep the
// list live: the API publishes every note written in the tenant (docs/realtime.md), and the page lists again.
// Deployed, sign-in is MSAL.js (window.msal, from msal-browser.min.js beside index.html) with the config's
// `auth`; under `atakora dev` there is no Entra ID, and the config's `dev` names the caller to send instead.
const $ = (id) => document.getElementById(id);
const config = await (await fetch('/atakora.config.json')).json();
const notesUrl = config.apis.notes;
// POST api/realtime/negotiate, beside the notes route.
const negotiateUrl = new URL('../realtime/negotiate', `${notesUrl}/`).href;

/** Headers that sign a request in: a bearer token deployed, the dev user header locally. */
async function signedIn() {
  if (config.dev) return { [config.dev.userHeader]: config.dev.user };
  // MSAL.js's browser build, copied next to index.html (docs/sites.md):
  //   cp node_modules/@azure/msal-browser/lib/msal-browser.min.js examples/team-notes/site/
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
      redirectUri: location.origin,
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
async function refresh() {
  const res = await fetch(notesUrl, { headers });
  if (!res.ok) throw new Error(`listing notes: HTTP ${res.status}`);
  const { items } = await res.json();
  $('notes').replaceChildren(
    ...items.map((n) =>
      Object.assign(document.createElement('li'), { textContent: n.title, className: 'note' }),
    ),
  );
  $('notes').dataset.loaded = 'true';
}

$('new-note').addEventListener('submit', async (event) => {
  event.preventDefault();
  const title = $('title').value.trim();
  if (!title) return;
  const res = await fetch(notesUrl, {
    method: 'POST',
    headers: { ...headers, 'content-type': 'application/json' },
    body: JSON.stringify({ id: crypto.randomUUID(), title }),
  });
  $('status').textContent = res.ok ? '' : `Could not add the note: HTTP ${res.status}`;
  if (res.ok) {
    $('title').value = '';
    await refresh();
  }
});

/**
 * Live updates without a client library: negotiate a Web PubSub URL (its token lists the groups the API chose for
 * this user), open it with the JSON subprotocol, and list again on each event of the notes API — and after every
 * (re)connect, since events sent while disconnected are not replayed. A new URL before the token expires.
 */
async function live() {
  try {
    const res = await fetch(negotiateUrl, { method: 'POST', headers });
    if (!res.ok) throw new Error(`HTTP ${res.status}`);
    const { url, expiresOn } = await res.json();
    const socket = new WebSocket(url, 'json.webpubsub.azure.v1');
    const renew = setTimeout(
      () => socket.close(),
      Math.max(new Date(expiresOn).getTime() - Date.now() - 60_000, 5_000),
    );
    socket.addEventListener('open', () => {
      $('notes').dataset.live = 'true';
      refresh().catch(() => undefined);
    });
    socket.addEventListener('message', (m) => {
      const message = JSON.parse(m.data);
      if (message.type === 'message' && message.data?.entity === 'NoteApi')
        refresh().catch(() => undefined);
    });
    socket.addEventListener('close', () => {
      clearTimeout(renew);
      delete $('notes').dataset.live;
      setTimeout(live, 1_000);
    });
  } catch {
    // Negotiate failed (offline, or the API restarting): try again shortly.
    setTimeout(live, 5_000);
  }
}

try {
  headers = await signedIn();
  $('who').textContent = config.dev ? `Signed in as ${config.dev.user} (atakora dev)` : 'Signed in';
  $('who').dataset.signedIn = 'true';
  await refresh();
  live();
} catch (e) {
  $('status').textContent = String(e.message ?? e);
}
