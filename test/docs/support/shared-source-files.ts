import ts from 'typescript';

/**
 * A compiler host for `options` that takes the declaration files of node_modules (the packages' types, TypeScript's
 * lib files) from `from`, a program this process built already, instead of reading and parsing them again.
 *
 * The docs' two programs, the API reference's (src/ under tsconfig.json's options) and the snippets' type check
 * (the snippets against dist/), reach the same ~1,300 declaration files: stripe's, @types/node's, cdktf's and the
 * providers', the Azure SDKs'. Parsed and bound once they are ~4.5 of the snippets' ~14 CPU-seconds of
 * TypeScript (docs/performance.md, "The suite"). A SourceFile is shared the way TypeScript's language service shares
 * one between the programs of a DocumentRegistry: only where this program would parse the same file alike — the
 * same path, target (languageVersion), module format (impliedNodeFormat) and JSDoc parsing mode — and only a
 * declaration file, whose parse and binding no checking option changes; any other file is read and parsed as
 * ts.createCompilerHost does. What a program reports of its own files is its own: diagnostics are per program, and
 * node_modules' files are not checked (skipLibCheck) in either.
 *
 * The host parses as `tsc` does (JSDocParsingMode.ParseForTypeErrors, its default since TypeScript 5.3: a JSDoc
 * comment only where a type error can come from it), as scripts/gen-api-docs.mjs parses node_modules' declaration
 * files, so that those are shared; a program that reads TSDoc (the API reference's, of src/) parses its own files
 * in full.
 */
export function hostSharing(from: ts.Program, options: ts.CompilerOptions): ts.CompilerHost {
  const parsed = new Map(
    from
      .getSourceFiles()
      .filter((f) => f.isDeclarationFile && f.fileName.includes('/node_modules/'))
      .map((f) => [f.fileName, f]),
  );
  const host = ts.createCompilerHost(options);
  host.jsDocParsingMode = ts.JSDocParsingMode.ParseForTypeErrors;
  const read = host.getSourceFile.bind(host);
  host.getSourceFile = (fileName, version, onError, fresh) => {
    const want: ts.CreateSourceFileOptions =
      typeof version === 'object' ? version : { languageVersion: version };
    const file = parsed.get(fileName);
    return file &&
      !fresh &&
      file.languageVersion === want.languageVersion &&
      file.impliedNodeFormat === want.impliedNodeFormat &&
      (want.jsDocParsingMode ?? ts.JSDocParsingMode.ParseAll) ===
        ((file as { jsDocParsingMode?: ts.JSDocParsingMode }).jsDocParsingMode ??
          ts.JSDocParsingMode.ParseAll)
      ? file
      : read(fileName, version, onError, fresh);
  };
  return host;
}
