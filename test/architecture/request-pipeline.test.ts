import { readdirSync, readFileSync } from 'node:fs';
import { dirname, join, relative, resolve, sep } from 'node:path';
import ts from 'typescript';
import { describe, expect, it } from 'vitest';
import { codeOf, tsFiles } from './support/source.js';

// DESIGN §6 "One request pipeline": the modules that read the caller from a request live in one folder
// (src/runtime/caller), the pipeline (src/runtime/pipeline) resolves the caller once and hands it on, and the
// handler folders receive it — none of them imports the caller folder, and no module outside it reads the
// principal or tenant header.
const RUNTIME = resolve(import.meta.dirname, '../../src/runtime');
const CALLER = 'caller';
const HANDLER_FOLDERS = ['crud', 'files', 'relations', 'realtime', 'events', 'queries'];
const HEADERS = ['x-ms-client-principal', 'x-tenant-id'];
const HEADER_CONSTANTS = ['CLIENT_PRINCIPAL_HEADER', 'TENANT_HEADER'];

/** The runtime folder a file is in (`(root)` for src/runtime's own files). */
const folderOf = (file: string) => {
  const parts = relative(RUNTIME, file).split(sep);
  return parts.length > 1 ? parts[0]! : '(root)';
};

/** Every relative import (static, export-from, `import()`, types included) of a file, resolved. */
function importsOf(file: string): string[] {
  const info = ts.preProcessFile(readFileSync(file, 'utf8'), true, true);
  return info.importedFiles
    .map((f) => f.fileName)
    .filter((f) => f.startsWith('.'))
    .map((f) => resolve(dirname(file), f));
}

describe('one request pipeline', () => {
  const all = tsFiles(RUNTIME);

  it('no module of a handler folder imports the caller folder', () => {
    const offending = all
      .filter((f) => HANDLER_FOLDERS.includes(folderOf(f)))
      .flatMap((f) =>
        importsOf(f)
          .filter((i) => folderOf(i) === CALLER)
          .map((i) => `${relative(RUNTIME, f)} → ${relative(RUNTIME, i)}`),
      );
    expect(offending).toEqual([]);
  });

  it('only the caller folder reads the principal and tenant headers', () => {
    const offending = all
      .filter((f) => folderOf(f) !== CALLER && !f.endsWith(`${sep}public-api.ts`))
      .filter((f) => {
        const code = codeOf(readFileSync(f, 'utf8'));
        return (
          HEADERS.some((h) => code.includes(`'${h}'`) || code.includes(`"${h}"`)) ||
          HEADER_CONSTANTS.some((c) => new RegExp(`\\b${c}\\b`).test(code))
        );
      })
      .map((f) => relative(RUNTIME, f));
    expect(offending).toEqual([]);
  });

  it('the caller folder holds the modules that read the caller (principal, tenant, admission, gate)', () => {
    const names = readdirSync(join(RUNTIME, CALLER)).sort();
    expect(names).toEqual(
      expect.arrayContaining([
        'caller-view.ts',
        'client-principal.ts',
        'handler-gate.ts',
        'request-caller.ts',
        'tenant-admission.ts',
        'tenant-header.ts',
        'tenant-source.ts',
      ]),
    );
    // And every module that calls the header-reading functions is there or in the pipeline, which resolves once.
    const readers = [
      'principalOf(',
      'tenantOf(',
      'resolveTenant(',
      'authenticate(',
      'admitDirectory(',
    ];
    const outside = all
      .filter((f) => ![CALLER, 'pipeline'].includes(folderOf(f)))
      .filter((f) => readers.some((r) => codeOf(readFileSync(f, 'utf8')).includes(r)))
      .map((f) => relative(RUNTIME, f));
    expect(outside).toEqual([]);
  });

  it('the stage list reads in the order of DESIGN §6, one line per stage', () => {
    const stages = readFileSync(join(RUNTIME, 'pipeline', 'request-stages.ts'), 'utf8');
    const list = /REQUEST_STAGES[^=]*=([\s\S]*?);/.exec(stages)?.[1] ?? '';
    expect([...list.matchAll(/\.use\((\w+)\)/g)].map((m) => m[1])).toEqual([
      'admit',
      'caller',
      'registry',
      'route',
      'tenant',
      'limits',
      'authorize',
    ]);
  });

  it('no folder of src/runtime has more than 25 files directly in it', () => {
    const crowded: string[] = [];
    const visit = (dir: string) => {
      const entries = readdirSync(dir, { withFileTypes: true });
      if (entries.filter((e) => e.isFile()).length > 25)
        crowded.push(relative(RUNTIME, dir) || '.');
      for (const e of entries) if (e.isDirectory()) visit(join(dir, e.name));
    };
    visit(RUNTIME);
    expect(crowded).toEqual([]);
  });
});
