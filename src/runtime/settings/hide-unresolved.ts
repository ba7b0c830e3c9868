/**
 * First import of a Function App package's entry (packaging/entry-source.ts): before any handler module is
 * evaluated — a module may read `process.env.X` at its top — settings still holding an unresolved Key Vault
 * reference are removed from `process.env`. Listed in package.json `sideEffects`, so no bundler drops it.
 */
import { hideUnresolvedReferences } from './unresolved-references.js';

hideUnresolvedReferences(process.env);
