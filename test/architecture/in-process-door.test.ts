import { readFileSync } from 'node:fs';
import { relative, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { codeOf, tsFiles } from './support/source.js';

// DESIGN §6 "One in-process door": handlers (`dataOf`) and agents (MCP tools) enter the pipeline's stages through one
// caller-bound entry (InProcessRoutes.callerFor), input as data in and the answer as data out — no URL built or
// parsed, no `fetch` handed to a client; and the MCP endpoint is a route with its own stage list, which never
// resolves or admits a caller itself (the pipeline's caller and registry stages do).
const SRC = resolve(import.meta.dirname, '../../src');
const CLIENT = resolve(SRC, 'client');
const IN_PROCESS = resolve(SRC, 'runtime/in-process');
const MCP = resolve(SRC, 'runtime/mcp');

/** The files of the door: client/data-of*.ts and everything under runtime/in-process. */
const doorFiles = () => [
  ...tsFiles(CLIENT).filter((f) => /[\\/]data-of[^\\/]*\.ts$/.test(f)),
  ...tsFiles(IN_PROCESS),
];

/** Each file's code (comments out) holding one of `needles`, as `file: needle`. */
function holding(files: readonly string[], needles: readonly string[]): string[] {
  return files.flatMap((f) => {
    const code = codeOf(readFileSync(f, 'utf8'));
    return needles.filter((n) => code.includes(n)).map((n) => `${relative(SRC, f)}: ${n}`);
  });
}

describe('one in-process door', () => {
  it('dataOf and the in-process entry build and parse no URL and hand over no fetch', () => {
    const files = doorFiles();
    expect(files.length).toBeGreaterThanOrEqual(4);
    expect(
      holding(files, ['new URL(', 'URL(', 'decodeURIComponent', 'encodeURIComponent', 'fetch']),
    ).toEqual([]);
  });

  it('the MCP endpoint reads and admits no caller itself', () => {
    const files = tsFiles(MCP);
    expect(files.length).toBeGreaterThan(0);
    expect(holding(files, ['Caller.of', '.admit('])).toEqual([]);
  });
});
