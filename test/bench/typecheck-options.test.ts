// The type-check bench (bench/typecheck.ts) chains CrudApi definitions that use every option CrudApiConfig has, so
// an option whose types make tsc slower shows in its ratio. Its list of options (bench/support/crud-options.ts) must
// follow CrudApiConfig: read here from the source with the TypeScript compiler, so a new option fails this test
// until the bench writes it too.
import { join, resolve } from 'node:path';
import ts from 'typescript';
import { describe, expect, it } from 'vitest';
import { CRUD_OPTION_SOURCE } from '../../bench/support/crud-options.js';

const ROOT = resolve(import.meta.dirname, '../..');

/** The property names of an exported interface, as the compiler sees them (inherited ones included). */
function propertiesOf(file: string, name: string): string[] {
  // The interface's own file alone: its property names need none of the types they refer to.
  const program = ts.createProgram([file], {
    noResolve: true,
    noLib: true,
    noEmit: true,
    types: [],
  });
  const checker = program.getTypeChecker();
  const source = program.getSourceFile(file)!;
  const symbol = checker
    .getExportsOfModule(checker.getSymbolAtLocation(source)!)
    .find((s) => s.name === name)!;
  return checker
    .getDeclaredTypeOfSymbol(symbol)
    .getProperties()
    .map((p) => p.name)
    .sort();
}

describe('the type-check bench covers every CrudApi option', () => {
  it('writes each option of CrudApiConfig into its chain', () => {
    const options = propertiesOf(
      join(ROOT, 'src/components/crud/config.ts'),
      'CrudApiConfig',
    ).filter((p) => p !== 'entityName' && p !== 'schema');
    // An option missing here: add it to CRUD_OPTION_SOURCE in bench/support/crud-options.ts.
    expect(Object.keys(CRUD_OPTION_SOURCE).sort()).toEqual(options);
  });
});
