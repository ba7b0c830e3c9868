// Clinic, no bundler: read the site's atakora.config.json, sign in, then upload files and show them back.
// An upload is three steps (docs/files.md): ask the API for an upload URL, PUT the bytes straight to Blob Storage
// with it (a short-lived SAS for this one blob), then ask the API to complete it (size and type are checked there).
// Deployed, sign-in is MSAL.js as in examples/team-notes/site/app.js; under `atakora dev` the config's `dev`
// names the caller to send instead.
const $ = (id) => document.getElementById(id);
const config = await (await fetch('/atakora.config.json')).json();
const filesUrl = config.apis.attachments;

async function signedIn() {
  if (config.dev) return { [config.dev.userHeader]: config.dev.user };
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
  const app = new globalThis.msal.PublicClientApplication({
    auth: {
      clientId: config.auth.clientId,
      authority: config.auth.authority,
      redirectUri: location.origin,
    },
  });
  await app.initialize();
  const account = (await app.handleRedirectPromise())?.account ?? app.getAllAccounts()[0];
  if (!account) {
    await app.loginRedirect({ scopes: config.auth.scopes });
    return new Promise(() => undefined);
  }
  const { accessToken } = await app.acquireTokenSilent({ account, scopes: config.auth.scopes });
  return { authorization: `Bearer ${accessToken}` };
}

let headers;
async function api(path, init = {}, base = filesUrl) {
  const res = await fetch(`${base}${path}`, {
    ...init,
    headers: { ...headers, 'content-type': 'application/json', ...init.headers },
  });
  const body = res.status === 204 ? undefined : await res.json();
  if (!res.ok) throw new Error(body?.detail ?? body?.title ?? `HTTP ${res.status}`);
  return body;
}

/** PUT the bytes to the SAS URL with XMLHttpRequest, which reports upload progress (fetch does not). */
function put(url, file, onProgress) {
  return new Promise((done, fail) => {
    const xhr = new XMLHttpRequest();
    xhr.open('PUT', url);
    xhr.setRequestHeader('x-ms-blob-type', 'BlockBlob');
    xhr.setRequestHeader('content-type', file.type);
    xhr.upload.onprogress = (e) => {
      if (e.lengthComputable) onProgress(e.loaded / e.total);
    };
    xhr.onload = () =>
      xhr.status === 201 ? done() : fail(new Error(`the upload was refused: HTTP ${xhr.status}`));
    xhr.onerror = () => fail(new Error('the upload did not reach storage'));
    xhr.send(file);
  });
}

async function show(id) {
  const file = await api(`/${id}`);
  const preview = $('preview');
  if (file.contentType.startsWith('image/')) {
    const img = Object.assign(document.createElement('img'), {
      src: file.downloadUrl,
      alt: file.name,
    });
    await new Promise((done) => {
      img.onload = done;
      img.onerror = done;
    });
    preview.replaceChildren(img);
  } else if (file.contentType === 'text/plain') {
    preview.replaceChildren(
      Object.assign(document.createElement('pre'), {
        textContent: await (await fetch(file.downloadUrl)).text(),
      }),
    );
  } else {
    preview.replaceChildren(
      Object.assign(document.createElement('a'), {
        href: file.downloadUrl,
        textContent: `Open ${file.name}`,
      }),
    );
  }
  preview.dataset.shown = file.name;
}

// The patient and their bookings (docs/relations.md): the patient's record is made on first visit; its bookings
// come from the children route, each with its letter embedded ($expand) and the total ($count) in one call.
let patient;
let lastFileId;
async function showPatient() {
  const mine = await api('?$count=true', {}, config.apis.patients);
  patient =
    mine.count > 0
      ? mine.items[0]
      : await api(
          '',
          { method: 'POST', body: JSON.stringify({ name: config.dev?.user ?? 'me' }) },
          config.apis.patients,
        );
  $('patient-name').textContent = patient.name;
  const page = await api(
    `/${encodeURIComponent(patient.id)}/bookings?$expand=letter&$count=true&$orderby=startsAt`,
    {},
    config.apis.patients,
  );
  $('booking-count').textContent = `${page.count} booking${page.count === 1 ? '' : 's'}`;
  $('bookings').replaceChildren(
    ...page.items.map((b) =>
      Object.assign(document.createElement('li'), {
        className: 'booking',
        textContent: `${b.startsAt}: ${b.letter ? b.letter.name : 'no letter'}`,
      }),
    ),
  );
  $('bookings').dataset.count = String(page.count);
}

$('book').addEventListener('submit', async (event) => {
  event.preventDefault();
  try {
    const booking = { patientId: patient.id, startsAt: $('starts').value };
    if ($('with-letter').checked && lastFileId) booking.letterId = lastFileId;
    await api('', { method: 'POST', body: JSON.stringify(booking) }, config.apis.bookings);
    $('status').textContent = '';
    $('book').reset();
    await showPatient();
  } catch (e) {
    $('status').textContent = `Could not book: ${e.message}`;
  }
});

async function refresh() {
  const { items } = await api('');
  $('files').replaceChildren(
    ...items.map((f) => {
      const li = Object.assign(document.createElement('li'), { className: 'file' });
      li.append(
        Object.assign(document.createElement('button'), {
          type: 'button',
          textContent: f.name,
          onclick: () => show(f.id),
        }),
      );
      return li;
    }),
  );
  $('files').dataset.loaded = 'true';
}

$('upload').addEventListener('submit', async (event) => {
  event.preventDefault();
  const file = $('file').files[0];
  if (!file) return;
  const progress = $('progress');
  progress.hidden = false;
  try {
    const { id, uploadUrl } = await api('', {
      method: 'POST',
      body: JSON.stringify({ name: file.name, contentType: file.type, size: file.size }),
    });
    await put(uploadUrl, file, (part) => {
      progress.value = part;
    });
    await api(`/${id}/complete`, { method: 'POST' });
    lastFileId = id;
    $('status').textContent = '';
    $('upload').reset();
    await refresh();
    await show(id);
  } catch (e) {
    $('status').textContent = `Could not upload ${file.name}: ${e.message}`;
  } finally {
    progress.hidden = true;
  }
});

try {
  headers = await signedIn();
  $('who').textContent = config.dev ? `Signed in as ${config.dev.user} (atakora dev)` : 'Signed in';
  $('who').dataset.signedIn = 'true';
  await refresh();
  await showPatient();
} catch (e) {
  $('status').textContent = String(e.message ?? e);
}
