import { AtakoraError } from '../model/errors.js';

/**
 * One `queueClient('name')` call whose queue name is a literal: a string, or a template without `${…}`.
 *
 * @example
 * ```ts
 * const call: QueueCall = { name: 'orders', line: 3 };
 * ```
 */
export interface QueueCall {
  readonly name: string;
  /** 1-based line of the call in its file. */
  readonly line: number;
}

const CALLEE = 'queueClient';

/**
 * The `queueClient(…)` calls of a JavaScript or TypeScript source whose first argument is a literal, in source
 * order. A small lexer, not a parser: comments, strings and template literals are skipped, so a call written in a
 * comment or a string is not one; `x.queueClient('a')` (a namespace import) counts, an alias (`import {
 * queueClient as q }`) and a name held in a variable do not — those are checked when the code runs.
 *
 * @example
 * ```ts
 * literalQueueCalls("await queueClient('orders').send(order);"); // [{ name: 'orders', line: 1 }]
 * literalQueueCalls('queueClient(name)');                         // [] (not a literal)
 * ```
 */
export function literalQueueCalls(source: string): QueueCall[] {
  const calls: QueueCall[] = [];
  // Brace depth inside each open `${…}` of a template literal: a `}` at depth 0 goes back into the template.
  const templates: number[] = [];
  let i = 0;
  const n = source.length;
  while (i < n) {
    const c = source.charAt(i);
    if (c === '/' && source[i + 1] === '/') {
      i = lineEnd(source, i);
    } else if (c === '/' && source[i + 1] === '*') {
      i = blockEnd(source, i);
    } else if (c === '"' || c === "'") {
      i = stringEnd(source, i);
    } else if (c === '`') {
      i = templateEnd(source, i + 1, templates);
    } else if (c === '{' && templates.length > 0) {
      templates.push((templates.pop() ?? 0) + 1);
      i += 1;
    } else if (c === '}' && templates.length > 0) {
      if (templates[templates.length - 1] === 0) {
        templates.pop();
        i = templateEnd(source, i + 1, templates);
      } else {
        templates.push((templates.pop() ?? 0) - 1);
        i += 1;
      }
    } else if (
      c === 'q' &&
      source.startsWith(CALLEE, i) &&
      !isIdentifierPart(source[i - 1]) &&
      !isIdentifierPart(source[i + CALLEE.length])
    ) {
      const call = literalArgument(source, i + CALLEE.length);
      if (call) calls.push({ name: call, line: lineOf(source, i) });
      i += CALLEE.length;
    } else {
      i += 1;
    }
  }
  return calls;
}

/** The literal first argument of a call whose callee ends before `from`, or undefined (no call, not a literal). */
function literalArgument(source: string, from: number): string | undefined {
  let i = skipSpace(source, from);
  if (source[i] !== '(') return undefined;
  i = skipSpace(source, i + 1);
  const quote = source[i];
  if (quote !== "'" && quote !== '"' && quote !== '`') return undefined;
  let value = '';
  for (let j = i + 1; j < source.length; j++) {
    const c = source.charAt(j);
    if (c === '\\') {
      value += source[j + 1] ?? '';
      j += 1;
    } else if (c === quote) {
      const after = skipSpace(source, j + 1);
      return source[after] === ')' || source[after] === ',' ? value : undefined;
    } else if (quote === '`' && c === '$' && source[j + 1] === '{') {
      return undefined;
    } else if (c === '\n' && quote !== '`') {
      return undefined;
    } else {
      value += c;
    }
  }
  return undefined;
}

function skipSpace(source: string, from: number): number {
  let i = from;
  for (;;) {
    while (i < source.length && /\s/.test(source.charAt(i))) i += 1;
    if (source.startsWith('//', i)) i = lineEnd(source, i);
    else if (source.startsWith('/*', i)) i = blockEnd(source, i);
    else return i;
  }
}

function lineEnd(source: string, from: number): number {
  const end = source.indexOf('\n', from);
  return end < 0 ? source.length : end + 1;
}

function blockEnd(source: string, from: number): number {
  const end = source.indexOf('*/', from + 2);
  return end < 0 ? source.length : end + 2;
}

function stringEnd(source: string, from: number): number {
  const quote = source[from];
  for (let i = from + 1; i < source.length; i++) {
    const c = source[i];
    if (c === '\\') i += 1;
    else if (c === quote || c === '\n') return i + 1;
  }
  return source.length;
}

/** Past the end of a template literal's text from `from` (inside it), or at a `${` (pushed on `templates`). */
function templateEnd(source: string, from: number, templates: number[]): number {
  for (let i = from; i < source.length; i++) {
    const c = source[i];
    if (c === '\\') {
      i += 1;
    } else if (c === '`') {
      return i + 1;
    } else if (c === '$' && source[i + 1] === '{') {
      templates.push(0);
      return i + 2;
    }
  }
  return source.length;
}

function isIdentifierPart(c: string | undefined): boolean {
  return c !== undefined && /[\w$]/.test(c);
}

function lineOf(source: string, index: number): number {
  let line = 1;
  for (let i = 0; i < index; i++) if (source.charCodeAt(i) === 10) line += 1;
  return line;
}

/**
 * A literal `queueClient('name')` call found in a file the package bundles, and the function whose handler reaches it.
 *
 * @example
 * ```ts
 * const found: FoundQueueCall = {
 *   file: 'src/signup.ts',
 *   line: 4,
 *   name: 'emails',
 *   path: ['components', 'Shop', 'config', 'functions', 'signup', 'handler'],
 * };
 * ```
 */
export interface FoundQueueCall extends QueueCall {
  /** The file, relative to the working directory. */
  readonly file: string;
  /** Where the function whose handler imports the file sits in the user's input. */
  readonly path: readonly string[];
}

/**
 * Refuse a literal queue name the app does not declare: such a call would fail every time it runs, so the
 * package is not built (`QUEUE_UNDECLARED`, naming the file, the line and the declared queues).
 *
 * @example
 * ```ts
 * checkQueueCalls([{ file: 'src/signup.ts', line: 4, name: 'emials', path: [] }], ['emails']); // throws QUEUE_UNDECLARED
 * ```
 */
export function checkQueueCalls(
  calls: readonly FoundQueueCall[],
  declared: readonly string[],
): void {
  const known = new Set(declared);
  const bad = calls.find((c) => !known.has(c.name));
  if (!bad) return;
  const list = declared.length
    ? `it declares ${[...declared].sort().join(', ')}`
    : 'it declares no queue';
  throw new AtakoraError(
    'QUEUE_UNDECLARED',
    `${bad.file}:${String(bad.line)} sends to queue "${bad.name}" (queueClient('${bad.name}')), which no ` +
      `component of its Function App declares: ${list}.`,
    {
      path: [...bad.path],
      details: { queue: bad.name, file: bad.file, line: bad.line, declared: [...declared].sort() },
      resolution:
        `Declare the queue on a FunctionsApp hosted by the same Function App — FunctionsApp.define(id, { …, ` +
        `queues: ['${bad.name}'] }), or a queue trigger's queueName — or correct the name.`,
    },
  );
}
