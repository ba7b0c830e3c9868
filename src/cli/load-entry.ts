import { existsSync } from 'node:fs';
import { resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { Backend } from '../backend/backend.js';
import { BackendBuilder } from '../backend/backend-builder.js';
import { AtakoraError } from '../model/errors.js';
import { UsageError } from './usage-error.js';

/**
 * Load a TypeScript or JavaScript module and collect the backends it exports: a Backend, a builder, a
 * function returning either (or an array of them), as the default export or named exports.
 */
export async function loadBackends(entry: string): Promise<Backend[]> {
  const file = resolve(entry);
  if (!existsSync(file)) throw new UsageError(`Entry not found: ${entry}`);
  const mod = await importModule(file);
  const found: Backend[] = [];
  const visit = async (value: unknown, depth: number): Promise<void> => {
    if (value instanceof Backend) found.push(value);
    else if (value instanceof BackendBuilder) found.push(value.build());
    else if (Array.isArray(value)) for (const v of value) await visit(v, depth);
    else if (typeof value === 'function' && depth === 0 && value.length === 0 && !/^class\s/.test(Function.prototype.toString.call(value))) {
      await visit(await (value as () => unknown)(), depth + 1);
    }
  };
  const exports = mod as Record<string, unknown>;
  if ('default' in exports) await visit(exports['default'], 0);
  for (const [name, value] of Object.entries(exports)) if (name !== 'default') await visit(value, 0);
  const unique = [...new Set(found)];
  if (unique.length === 0) {
    throw new AtakoraError('COMPONENT_INVALID', `${entry} exports no backend.`, {
      path: [entry], resolution: 'Export a backend, a builder or a function returning one: `export default defineBackend({ ... })`.',
    });
  }
  return unique;
}

async function importModule(file: string): Promise<unknown> {
  if (/\.[cm]?tsx?$/.test(file)) {
    let tsImport: (specifier: string, parent: string) => Promise<unknown>;
    try {
      ({ tsImport } = (await import('tsx/esm/api')) as { tsImport: typeof tsImport });
    } catch {
      throw new UsageError(`Loading ${file} needs tsx: npm install --save-dev tsx (or compile it and pass the .js file).`);
    }
    return tsImport(pathToFileURL(file).href, import.meta.url);
  }
  return import(pathToFileURL(file).href);
}
