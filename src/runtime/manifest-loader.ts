import { AtakoraError } from '../model/errors.js';
import { MANIFEST_SETTING, type RuntimeManifest } from '../model/runtime-manifest.js';
import { RUNTIME_MANIFEST_SCHEMA } from '../model/runtime-manifest-schema.js';
import { parseWith, refine, type SchemaIssue, type SchemaPath } from '../model/schema.js';
import { HEALTH_ROUTE } from '../contract/routes.js';

/** Routes the runtime itself owns. */
const RESERVED_ROUTES: readonly string[] = [HEALTH_ROUTE];

/** The manifest the writers' schema admits, less the routes the runtime serves itself. */
const SERVABLE_MANIFEST = refine(RUNTIME_MANIFEST_SCHEMA, (manifest) =>
  [
    ...manifest.entities.map((e, i) => ({ at: ['entities', i], route: e.route })),
    ...(manifest.fileStores ?? []).map((f, i) => ({ at: ['fileStores', i], route: f.route })),
  ]
    .filter(({ route }) => RESERVED_ROUTES.includes(route.toLowerCase()))
    .map(
      ({ at, route }): SchemaIssue => ({
        path: [...at, 'route'],
        message: `route "${route}" is reserved by the runtime`,
      }),
    ),
);

function invalid(
  message: string,
  path: SchemaPath = [],
  details: Readonly<Record<string, unknown>> = {},
): never {
  throw new AtakoraError('RUNTIME_CONFIG_INVALID', message, {
    path: [MANIFEST_SETTING, ...path],
    details,
  });
}

const where = (path: SchemaPath): string =>
  [MANIFEST_SETTING, ...path]
    .map((p) => (typeof p === 'number' ? `[${p}]` : `.${p}`))
    .join('')
    .slice(1);

/**
 * Parse the manifest from the `ATAKORA_MANIFEST` app setting with the schema its writers (apply, `atakora dev`)
 * are typed by (`RUNTIME_MANIFEST_SCHEMA`). Everything the runtime later relies on is checked here, once,
 * so a bad deployment fails at startup with every problem and its path rather than on the first request.
 *
 * @throws AtakoraError `RUNTIME_CONFIG_INVALID`: its path is the first problem's (starting with
 *   `ATAKORA_MANIFEST`), its message lists them all, `details.issues` holds them as data.
 * @example
 * ```ts
 * const manifest = parseManifest(process.env[MANIFEST_SETTING]);
 * ```
 */
export function parseManifest(json: string | undefined): RuntimeManifest {
  if (json === undefined || json.trim() === '') invalid('the app setting is missing or empty');
  let raw: unknown;
  try {
    raw = JSON.parse(json);
  } catch (e) {
    invalid(`not valid JSON: ${(e as Error).message}`);
  }
  const parsed = parseWith(SERVABLE_MANIFEST, raw);
  if (parsed.ok) return parsed.value;
  const [first] = parsed.issues;
  const lines = parsed.issues.map((issue) => `  ${where(issue.path)}: ${issue.message}`);
  invalid(
    `${parsed.issues.length === 1 ? 'a problem' : `${parsed.issues.length} problems`}:\n${lines.join('\n')}`,
    first.path,
    { issues: parsed.issues },
  );
}
