import { transform } from 'esbuild';

/**
 * Each module's JavaScript, with an inline source map back to its TypeScript (a stack trace names the `.ts` file's
 * line, which the test turns into the doc's), as esbuild transforms a TypeScript file on its own: types removed,
 * imports used only as types dropped, nothing resolved or checked (the type check is the test's own program).
 * That is how the `atakora` CLI runs a user's TypeScript entry (src/cli/entry/compile-entry.ts bundles it with
 * esbuild), so a snippet runs as the user's module would. TypeScript's emitter (ts.transpileModule's options over
 * one program of all the modules) took ~3 CPU-seconds for the docs' ~650 run modules; esbuild ~0.9 (0.2 here,
 * ~0.7 in its service process) (docs/performance.md, "The suite").
 */
export async function transpileAll(
  sources: ReadonlyMap<string, string>,
): Promise<Map<string, string>> {
  const out = await Promise.all(
    [...sources].map(async ([file, source]) => [file, await transpile(file, source)] as const),
  );
  return new Map(out);
}

/** One module's JavaScript; where esbuild cannot read it, a module that throws why (that snippet fails, not the file). */
async function transpile(file: string, source: string): Promise<string> {
  try {
    const options = { loader: 'ts', format: 'esm', target: 'es2022', sourcemap: 'inline' } as const;
    return (await transform(source, { ...options, sourcefile: file })).code;
  } catch (e) {
    return `throw new Error(${JSON.stringify(`esbuild could not transform ${file}: ${String(e)}`)});\n`;
  }
}
