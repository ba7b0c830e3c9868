/**
 * The files account's `blob_properties` is one block, composed once (resources/storage/blob-properties.ts): beside a
 * site, a CDN site, `corsOrigins` and isolated networking — in every combination — the synthesized versioning and
 * soft delete are what the plan, the review page and the text plan say, and CORS is there exactly when an origin
 * is. Before, CORS rewrote the block from every account's defaults and switched versioning back on.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { defineBackend } from '../../src/backend/define-backend.js';
import { FileStore } from '../../src/components/files/index.js';
import { StaticSite, StaticSiteWithCdn } from '../../src/components/web/index.js';
import { renderPlanHtml } from '../../src/plan/render/html.js';
import { renderPlanText } from '../../src/plan/render/text.js';
import { synth } from '../support/synth.js';

interface Shape {
  site: boolean;
  cdn: boolean;
  cors: boolean;
  isolated: boolean;
}
const SHAPES: Shape[] = [];
for (let bits = 0; bits < 16; bits++)
  SHAPES.push({
    site: (bits & 1) !== 0,
    cdn: (bits & 2) !== 0,
    cors: (bits & 4) !== 0,
    isolated: (bits & 8) !== 0,
  });
const label = (s: Shape) =>
  Object.entries(s)
    .filter(([, on]) => on)
    .map(([k]) => k)
    .join(' + ') || 'FileStore alone';

function backendOf(s: Shape) {
  return defineBackend(
    {
      attachments: FileStore.define('Attachments', { maxSizeMb: 10 }),
      ...(s.site ? { portal: StaticSite.define('Portal') } : {}),
      ...(s.cdn ? { shop: StaticSiteWithCdn.define('Shop') } : {}),
    },
    {
      environment: 'prod',
      ...(s.cors ? { corsOrigins: ['https://partner.example.com'] } : {}),
      ...(s.isolated
        ? { networking: { mode: 'isolated' as const, deployerAddresses: ['203.0.113.7'] } }
        : {}),
    },
  );
}

type BlobProperties = {
  versioning_enabled?: boolean;
  delete_retention_policy?: { days?: number };
  container_delete_retention_policy?: { days?: number };
  cors_rule?: { allowed_origins: string[]; allowed_methods: string[] }[];
};

describe('files account blob properties over every shape of backend', () => {
  it.each(SHAPES.map((s) => [label(s), s] as const))(
    '%s: synthesized versioning and soft delete equal the plan, the review page and the text plan',
    (_name, shape) => {
      const backend = backendOf(shape);
      const plan = backend.plan();
      const files = plan.resources.find((r) => r.key === 'storage:files-standard-lrs')!;
      const retention = files.config['retention'] as {
        versioning: boolean;
        deletedRetentionDays: number;
      };
      expect(retention.versioning).toBe(false);
      const json = synth(backend);
      const accounts = json.resource['azurerm_storage_account'] ?? {};
      const [, account] = Object.entries(accounts).find(([k]) => k.includes('files'))!;
      const props = account['blob_properties'] as BlobProperties;
      expect(props.versioning_enabled).toBe(retention.versioning);
      expect(props.delete_retention_policy?.days).toBe(retention.deletedRetentionDays);
      expect(props.container_delete_retention_policy?.days).toBe(7);
      // CORS exactly when the API admits a browser origin: a site (its https hosts) or corsOrigins.
      const origins = (props.cors_rule ?? []).flatMap((r) => r.allowed_origins);
      expect(origins.length > 0).toBe(shape.site || shape.cdn || shape.cors);
      if (shape.cors) expect(origins).toContain('https://partner.example.com');
      for (const r of props.cors_rule ?? [])
        expect([...r.allowed_methods].sort()).toEqual(['GET', 'HEAD', 'OPTIONS', 'PUT']);
      // The host accounts keep their versions (deployment packages), and no CORS.
      for (const [k, a] of Object.entries(accounts).filter(([k]) => !k.includes('files'))) {
        const host = a['blob_properties'] as BlobProperties;
        expect(host.versioning_enabled, k).toBe(true);
        expect(host.cors_rule, k).toBeUndefined();
      }
      // The review page and the text plan say the same.
      const page = renderPlanHtml(plan);
      const shown = new RegExp(
        `data-versioning="${String(props.versioning_enabled)}" data-deleted-retention-days="${String(props.delete_retention_policy?.days)}"`,
      );
      expect(page).toMatch(shown);
      expect(renderPlanText(plan)).toContain(
        `versioning off: a deleted file leaves no version; soft delete keeps a deleted blob ${String(retention.deletedRetentionDays)} days`,
      );
    },
  );

  it('the page shows no retention line for a backend without FileStores (the check can fail)', () => {
    const plan = defineBackend({ portal: StaticSite.define('Portal') }).plan();
    expect(renderPlanHtml(plan)).not.toContain('data-versioning=');
  });

  it("nothing but the account's constructor writes its blob_properties block (no later putBlobProperties)", () => {
    const src = resolve(import.meta.dirname, '../../src');
    const files = (dir: string): string[] =>
      readdirSync(dir, { withFileTypes: true }).flatMap((e) =>
        e.isDirectory()
          ? files(join(dir, e.name))
          : e.name.endsWith('.ts')
            ? [join(dir, e.name)]
            : [],
      );
    const writers = files(src).filter((f) =>
      /putBlobProperties|blobProperties\s*:/.test(readFileSync(f, 'utf8')),
    );
    expect(writers.map((f) => f.slice(src.length + 1)).sort()).toEqual([
      'kit/cdktf/secure-storage.ts', // the defaults every account starts from
      'resources/storage/blob-properties.ts', // the composer
      'resources/storage/provision.ts', // its one use, in the account's constructor
    ]);
  });
});
