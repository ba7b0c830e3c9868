import ts from 'typescript';

/**
 * The Node functions a TypeScript text defines without a `handler`: `FunctionsApp.define(id, config)` or
 * `defineFunctionsApp(id, config)` or `new FunctionsApp(scope, id, config)` whose config (an object literal) has no `codePath` and a `runtime` of
 * 'node' or none, and a `functions` entry (an object literal) without `handler`. Such an app plans, but apply
 * refuses it (FUNCTIONS_HANDLER_MISSING): a doc showing one shows something that does not deploy.
 * Returns `<function name> (line n)` per offender.
 */
export function nodeFunctionsWithoutHandler(code: string): string[] {
  const file = ts.createSourceFile(
    'snippet.ts',
    code,
    ts.ScriptTarget.ES2022,
    true,
    ts.ScriptKind.TS,
  );
  const found: string[] = [];
  const prop = (o: ts.ObjectLiteralExpression, name: string) =>
    o.properties.find(
      (p): p is ts.PropertyAssignment =>
        ts.isPropertyAssignment(p) &&
        (ts.isIdentifier(p.name) || ts.isStringLiteral(p.name)) &&
        p.name.text === name,
    );
  const unwrap = (e: ts.Expression | undefined): ts.Expression | undefined => {
    let x = e;
    while (
      x &&
      (ts.isAsExpression(x) || ts.isParenthesizedExpression(x) || ts.isSatisfiesExpression(x))
    )
      x = x.expression;
    return x;
  };
  const check = (config: ts.Expression | undefined) => {
    const c = unwrap(config);
    if (!c || !ts.isObjectLiteralExpression(c) || prop(c, 'codePath')) return;
    const runtime = unwrap(prop(c, 'runtime')?.initializer);
    if (runtime && !(ts.isStringLiteral(runtime) && runtime.text === 'node')) return;
    const fns = unwrap(prop(c, 'functions')?.initializer);
    if (!fns || !ts.isObjectLiteralExpression(fns)) return;
    for (const p of fns.properties) {
      if (!ts.isPropertyAssignment(p)) continue;
      const f = unwrap(p.initializer);
      if (
        !f ||
        !ts.isObjectLiteralExpression(f) ||
        f.properties.some((x) => ts.isSpreadAssignment(x)) ||
        prop(f, 'handler')
      )
        continue;
      found.push(
        `${p.name.getText(file)} (line ${String(file.getLineAndCharacterOfPosition(p.getStart()).line + 1)})`,
      );
    }
  };
  const visit = (n: ts.Node) => {
    if (
      ts.isCallExpression(n) &&
      ts.isPropertyAccessExpression(n.expression) &&
      n.expression.name.text === 'define' &&
      n.expression.expression.getText(file) === 'FunctionsApp'
    )
      check(n.arguments[1]);
    if (ts.isCallExpression(n) && n.expression.getText(file) === 'defineFunctionsApp')
      check(n.arguments[1]);
    if (ts.isNewExpression(n) && n.expression.getText(file) === 'FunctionsApp')
      check(n.arguments?.[2]);
    ts.forEachChild(n, visit);
  };
  visit(file);
  return found;
}
