import { readFileSync } from 'node:fs';
import { dirname, relative, resolve, sep } from 'node:path';
import ts from 'typescript';
import { describe, expect, it } from 'vitest';
import { codeOf, tsFiles } from './support/source.js';

// The handler folders receive their services from the composition root (routes/: the app's services made once at
// registration) and never read what the process bound (`boundServices`, the registry, meter and membership
// bindings): a handler built before a registration binds them would read nothing, or another app's — the timing
// fault the function gate had. Only the pipeline's gate (built apart from the registration) reads them, lazily.
const RUNTIME = resolve(import.meta.dirname, '../../src/runtime');
const HANDLER_FOLDERS = ['crud', 'files', 'relations', 'realtime', 'events', 'queries'];
const PROCESS_WIDE = ['boundServices', 'boundTenantRegistry', 'boundUsageMeter', 'tenantSources'];

const folderOf = (file: string) => relative(RUNTIME, file).split(sep)[0] ?? '';

describe("the handler folders' services", () => {
  const handlers = tsFiles(RUNTIME).filter((f) => HANDLER_FOLDERS.includes(folderOf(f)));

  it('are handed to them: no handler folder imports a process binding', () => {
    const offending = handlers.flatMap((file) =>
      ts
        .preProcessFile(readFileSync(file, 'utf8'), true, true)
        .importedFiles.map((i) => i.fileName)
        .filter((i) => i.startsWith('.') && /-binding\.js$/.test(i))
        .map((i) => `${relative(RUNTIME, file)} → ${relative(RUNTIME, resolve(dirname(file), i))}`),
    );
    expect(offending).toEqual([]);
  });

  it('no handler folder names a process-wide service reader', () => {
    const offending = handlers.flatMap((file) => {
      const code = codeOf(readFileSync(file, 'utf8'));
      return PROCESS_WIDE.filter((name) => new RegExp(`\\b${name}\\b`).test(code)).map(
        (name) => `${relative(RUNTIME, file)}: ${name}`,
      );
    });
    expect(offending).toEqual([]);
  });

  it("the billing timer uses the app's services: no CrudApi's container or client, no console of its own", () => {
    const offending = tsFiles(resolve(RUNTIME, 'billing')).flatMap((file) => {
      const code = codeOf(readFileSync(file, 'utf8'));
      return ['containerFor', 'entities[', 'console.']
        .filter((name) => code.includes(name))
        .map((name) => `${relative(RUNTIME, file)}: ${name}`);
    });
    expect(offending).toEqual([]);
  });
});
