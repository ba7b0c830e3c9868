import ts from 'typescript';

/** An option transpileModule sets to a fixed value. */
interface FixedOption {
  readonly name: string;
  readonly transpileOptionValue: ts.CompilerOptionsValue;
}

/**
 * Each module's JavaScript as `ts.transpileModule(source, { fileName, compilerOptions })` gives it, from one
 * program of them all: the options transpileModule fixes (ts.transpileOptionValueCompilerOptions: isolated
 * modules, no lib, no resolution, no check), no module resolved (transpileModule sees one file), each module
 * emitted on its own. A transpileModule per snippet set up a program each time, ~5 ms apiece: ~3.5 CPU-s for the
 * docs' ~600 run modules (docs/performance.md, "The suite").
 */
export function transpileAll(
  sources: ReadonlyMap<string, string>,
  compilerOptions: ts.CompilerOptions,
): Map<string, string> {
  const options: ts.CompilerOptions = { ...ts.getDefaultCompilerOptions(), ...compilerOptions };
  // The list transpileModule applies (typescript.js's transpileWorker); internal, so not in the typings.
  const fixed = (ts as unknown as { transpileOptionValueCompilerOptions?: readonly FixedOption[] })
    .transpileOptionValueCompilerOptions;
  if (!fixed) throw new Error('this TypeScript has no transpileOptionValueCompilerOptions');
  for (const o of fixed) options[o.name] = o.transpileOptionValue;
  Object.assign(options, {
    suppressOutputPathCheck: true,
    allowNonTsExtensions: true,
    declaration: false,
    declarationMap: false,
  });
  const host = ts.createCompilerHost(options);
  host.readFile = (file) => sources.get(file);
  host.fileExists = (file) => sources.has(file);
  host.resolveModuleNameLiterals = (literals) =>
    literals.map(() => ({ resolvedModule: undefined }));
  const out = new Map<string, string>();
  host.writeFile = (file, text) => out.set(file.replace(/\.js$/, '.ts'), text);
  ts.createProgram([...sources.keys()], options, host).emit();
  return out;
}
