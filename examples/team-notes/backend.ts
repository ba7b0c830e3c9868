/**
 * Team notes: the whole app — a notes API (a CrudApi on Cosmos DB, confined to the caller's tenant) and the
 * page that uses it (a plain `site/index.html` + `app.js`, no bundler), behind Front Door, signed in with
 * Microsoft Entra ID. The list is live: every note a teammate adds reaches the open pages of the same tenant
 * through Web PubSub (`realtime: true`, docs/realtime.md). One command ships both (docs/sites.md):
 *
 *   npx atakora dev examples/team-notes/backend.ts --user alice@contoso   # the API and the site, locally
 *   npx atakora deploy examples/team-notes/backend.ts                     # Terraform, then the site upload
 *
 * Paths are relative to the working directory (run it from the repository root).
 */
import { defineBackend } from '@atakora/component/backend';
import { CrudApi } from '@atakora/component/crud';
import { StaticSiteWithCdn } from '@atakora/component/web';

export default defineBackend(
  {
    notes: CrudApi.define('NoteApi', {
      entityName: 'Note',
      schema: { id: 'string', tenantId: 'string', title: { type: 'string', required: true } },
      partitionKey: '/tenantId',
      realtime: true,
    }),
    web: StaticSiteWithCdn.define('TeamNotesWeb', {
      sourceDirectory: './examples/team-notes/site',
      enableSpaMode: true,
    }),
  },
  { backendId: 'notes', environment: 'dev' },
);
