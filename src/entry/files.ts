/**
 * `@atakora/component/files`: the FileStore component (browser uploads through user-delegation SAS URLs).
 * @packageDocumentation
 */
export * from '../components/files/index.js';
export type {
  FileMetadata,
  FileUpload,
  FileUploadRequest,
  FileWithUrl,
} from '../contract/files.js';
