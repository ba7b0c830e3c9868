import { existsSync, readFileSync } from 'node:fs';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';

/** Where every dev site serves the elements (DESIGN §2, "The people side as drop-in elements"). */
export const ELEMENTS_PATH = '/_atakora/elements';
/** The page's own script: connects the elements to the local backend as dev's signed-in user. */
const PAGE_SCRIPT = `${ELEMENTS_PATH}/page.js`;

/**
 * The browser module the build writes (scripts/bundle-dist.mjs): `@atakora/component/elements` with the typed client
 * in one file, beside the package's `dist/entry/elements.js`; undefined when the package has none (not built).
 */
function elementsModule(): string | undefined {
  try {
    const entry = createRequire(import.meta.url).resolve('@atakora/component/elements');
    const file = join(dirname(entry), '..', 'elements', 'atakora-elements.js');
    return existsSync(file) ? readFileSync(file, 'utf8') : undefined;
  } catch {
    return undefined;
  }
}

const PAGE = (title: string) => `<!doctype html>
<html lang="en">
<head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1"><title>${title}</title></head>
<body>
<main>
<h1>${title}</h1>
<atakora-organization-switcher></atakora-organization-switcher>
<atakora-invitation></atakora-invitation>
<atakora-members></atakora-members>
<atakora-plan></atakora-plan>
<atakora-organization-settings></atakora-organization-settings>
<atakora-enterprise></atakora-enterprise>
<atakora-audit-log></atakora-audit-log>
<atakora-agents></atakora-agents>
</main>
<script type="module" src="${PAGE_SCRIPT}"></script>
</body>
</html>
`;

// The site's config inlined (no request for it): `configure` signs in as dev's user from its `dev` (connection.ts).
const SCRIPT = (config: unknown) => `import { configure } from '${ELEMENTS_PATH}';
configure({ config: ${JSON.stringify(config).replace(/</g, '\\u003c')}, getToken: () => undefined });
`;

/**
 * `GET /_atakora/elements` on a dev site: the elements' browser module (`text/javascript`, for a page's plain
 * `<script type="module" src="/_atakora/elements">`, same origin so the site's CSP admits it) — or, to a browser
 * navigating there (`Accept: text/html` first), a page with every element against the local backend as dev's
 * signed-in user (`localStorage.devUser` names another). True when it answered.
 *
 * @example
 * ```ts
 * if (serveElements(path, req, res, headers, siteConfig)) return;
 * ```
 */
export function serveElements(
  path: string,
  req: IncomingMessage,
  res: ServerResponse,
  headers: Readonly<Record<string, string>>,
  config: unknown,
): boolean {
  if (path !== ELEMENTS_PATH && path !== `${ELEMENTS_PATH}.js` && path !== PAGE_SCRIPT)
    return false;
  const head = (req.method ?? 'GET').toUpperCase() === 'HEAD';
  const answer = (status: number, type: string, body: string) => {
    res.writeHead(status, { ...headers, 'content-type': type, 'cache-control': 'no-cache' });
    res.end(head ? undefined : body);
  };
  const js = 'text/javascript; charset=utf-8';
  if (path === PAGE_SCRIPT) {
    answer(200, js, SCRIPT(config));
    return true;
  }
  if (path === ELEMENTS_PATH && /^\s*text\/html/i.test(req.headers.accept ?? '')) {
    answer(200, 'text/html; charset=utf-8', PAGE('Atakora elements'));
    return true;
  }
  const code = elementsModule();
  if (code === undefined)
    answer(
      404,
      'text/plain; charset=utf-8',
      'The elements module is not built: run `npm run build` in @atakora/component (dist/elements/atakora-elements.js).\n',
    );
  else answer(200, js, code);
  return true;
}
