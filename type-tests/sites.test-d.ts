import { expectAssignable, expectError, expectType } from 'tsd';
import { defineBackend } from '@atakora/component/backend';
import { CrudApi } from '@atakora/component/crud';
import { StaticSite, siteConfigOf, type AtakoraSiteConfig } from '@atakora/component/web';

const backend = defineBackend({
  notes: CrudApi.define('NoteApi', { entityName: 'Note', schema: { id: 'string' } }),
  web: StaticSite.define('Web', {
    sourceDirectory: './web',
    buildCommand: 'npm run build',
    outputDirectory: 'dist',
    configFileName: 'app.json',
    configExportPath: './web/src/atakora.config.json',
  }),
});

// The site's origins and build settings are on its handle.
expectType<readonly string[]>(backend.components.web.origins);
expectType<string | undefined>(backend.components.web.outputDirectory);

// The configuration a site reads: typed, for a client to accept.
const config = siteConfigOf(backend.plan(), 'web');
expectType<AtakoraSiteConfig>(config);
expectType<string | undefined>(config.apis['notes']);
expectAssignable<AtakoraSiteConfig>({
  apis: { notes: 'https://x/api/notes' },
  auth: { clientId: 'c', authority: 'https://login.microsoftonline.com/t', scopes: ['s'] },
});
// Misuse: scopes is a list; the options are strings.
expectError<AtakoraSiteConfig>({ apis: {}, auth: { clientId: 'c', authority: 'a', scopes: 's' } });
expectError(StaticSite.define('Web', { outputDirectory: 42 }));
