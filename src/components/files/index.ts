export { FileStore, defineFileStore, type FileStoreDefinition } from './define.js';
export type { FileStoreConfig } from './config.js';
export type { FileStoreHandle } from './handle.js';
export type { ApiHandle } from '../api-handle.js';
