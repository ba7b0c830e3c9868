import { expectError, expectType } from 'tsd';
import { defineBackend } from '@atakora/component/backend';
import { CrudApi } from '@atakora/component/crud';
import { FileStore, type FileStoreHandle } from '@atakora/component/files';
import { createClient, type FileMetadata, type FileWithUrl } from '@atakora/component/client';

const backend = defineBackend({
  notes: CrudApi.define('NoteApi', {
    entityName: 'Note',
    schema: { id: 'string', title: 'string' },
  }),
  attachments: FileStore.define('Attachments', {
    maxSizeMb: 10,
    contentTypes: ['image/*'],
    access: [{ allow: 'owner' }],
  }),
});

expectType<FileStoreHandle>(backend.components.attachments);
expectType<string>(backend.components.attachments.apiEndpoint);
expectType<number>(backend.components.attachments.maxSizeMb);

const client = createClient<typeof backend>({
  baseUrls: { notes: 'https://x/api/notes', attachments: 'https://x/api/attachments' },
  getToken: () => undefined,
});
expectType<Promise<FileMetadata>>(
  client.attachments.upload(new Blob(['x']), {
    onProgress: (sent: number, total: number) => {
      void sent;
      void total;
    },
  }),
);
expectType<Promise<FileWithUrl>>(client.attachments.get('id'));
expectType<Promise<void>>(client.attachments.delete('id'));
// A FileStore key has no CRUD create; a CrudApi key has no upload.
expectError(client.attachments.create({}));
expectError(client.notes.upload(new Blob(['x'])));
// Options are checked at define time and typed.
expectError(FileStore.define('Bad', { maxSizeMb: '10' }));
// maxPendingUploads is a number of uploads, not a size or a flag.
FileStore.define('Limited', { maxSizeMb: 10, maxPendingUploads: 3 });
expectError(FileStore.define('Bad', { maxSizeMb: 10, maxPendingUploads: '3' }));
expectError(FileStore.define('Bad', { maxSizeMb: 10, maxPendingUploads: true }));
