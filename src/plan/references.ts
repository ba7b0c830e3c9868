import type { SourcedRequirement } from '../model/requirements.js';

/** What `${type.attribute}` placeholders in a requirement's strings can name, given the resource's Azure name. */
const ATTRIBUTES: Readonly<Record<string, Readonly<Record<string, (name: string) => string>>>> = {
  cosmos: { name: (n) => n, endpoint: (n) => `https://${n}.documents.azure.com:443/` },
  functions: { name: (n) => n, endpoint: (n) => `https://${n}.azurewebsites.net` },
  storage: { name: (n) => n, blobEndpoint: (n) => `https://${n}.blob.core.windows.net/`, queueEndpoint: (n) => `https://${n}.queue.core.windows.net/` },
  keyvault: { name: (n) => n, uri: (n) => `https://${n}.vault.azure.net/` },
};

/**
 * Replace `${cosmos.endpoint}`-style placeholders (the seeds' convention) in a requirement's config with the
 * planned values of the resources that component uses. Returns a new requirement; the input is untouched.
 * Unknown placeholders stay as written.
 *
 * @example
 * ```ts
 * // { COSMOS_ENDPOINT: '${cosmos.endpoint}' } → { COSMOS_ENDPOINT: 'https://cosmos-backend-dev-k3x9a1.documents.azure.com:443/' }
 * ```
 */
export function resolveReferences(req: SourcedRequirement, used: Readonly<Record<string, string>>, names: ReadonlyMap<string, string>): SourcedRequirement {
  const swap = (s: string) =>
    s.replace(/\$\{([a-z]+)\.([A-Za-z]+)\}/g, (whole, type: string, attr: string) => {
      const key = used[type];
      const name = key ? names.get(key) : undefined;
      const f = ATTRIBUTES[type]?.[attr];
      return name && f ? f(name) : whole;
    });
  // Copies only the branches that hold a placeholder; everything else is shared with the input.
  const walk = (v: unknown): unknown => {
    if (typeof v === 'string') return v.includes('${') ? swap(v) : v;
    if (!v || typeof v !== 'object' || !hasPlaceholder(v)) return v;
    if (Array.isArray(v)) return v.map(walk);
    const out: Record<string, unknown> = {};
    for (const [k, x] of Object.entries(v)) out[k] = walk(x);
    return out;
  };
  if (!hasPlaceholder(req.requirement.config)) return req;
  return { ...req, requirement: { ...req.requirement, config: walk(req.requirement.config) as Record<string, unknown> } };
}

// Requirements are built once per definition and planned many times: remember which hold placeholders.
const seen = new WeakMap<object, boolean>();

function hasPlaceholder(config: object): boolean {
  let known = seen.get(config);
  if (known === undefined) {
    known = scan(config);
    seen.set(config, known);
  }
  return known;
}

function scan(v: unknown): boolean {
  if (typeof v === 'string') return v.includes('${');
  if (Array.isArray(v)) return v.some(scan);
  if (v && typeof v === 'object') return Object.values(v).some(scan);
  return false;
}
