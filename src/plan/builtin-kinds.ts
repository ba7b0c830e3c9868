import { cosmosKind } from '../providers/cosmos/merge.js';
import { functionsKind } from '../providers/functions/merge.js';
import { storageKind } from '../providers/storage/merge.js';
import { staticSiteKind } from '../providers/staticsite/merge.js';
import { cdnKind } from '../providers/cdn/merge.js';
import { keyVaultKind } from '../providers/keyvault/merge.js';
import type { ResourceKind } from './resource-kind.js';

/** The built-in kinds, by resource type. Custom providers are added to these, never replace them. */
export const BUILTIN_KINDS: ReadonlyMap<string, ResourceKind> = new Map(
  [cosmosKind, functionsKind, storageKind, staticSiteKind, cdnKind, keyVaultKind].map((k) => [k.type, k]),
);
