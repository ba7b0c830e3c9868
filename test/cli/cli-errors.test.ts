/**
 * Every CLI failure a new user meets ends in a short message with the fix and the right exit
 * code (2 for command-line mistakes, 1 for a failing entry or an AtakoraError), never a stack or a loader's
 * internals. The built CLI (npm run build first): the bin as a child process, as a user runs it, where the process
 * is what is proven (a syntax error's exit 1 and stderr off the bin, Node's own parse of a .mjs entry, tsx's loader
 * hooks, which stay in the process that registers them, --version's exact stdout); the other failures through the
 * same built main in this worker (test/support/cli-in-process.ts: its exit code and what it wrote, without a
 * cold start of ~0.3 CPU-s per run).
 */
import { execFile } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createServer, type Server } from 'node:net';
import { join, relative, resolve } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, describe, expect, it } from 'vitest';
import { runCliInProcess } from '../support/cli-in-process.js';
import { deadline } from '../support/patience.js';

const root = resolve(import.meta.dirname, '../..');
const bin = join(root, 'dist/cli/bin.js');
const work = mkdtempSync(join(root, '.tmp-cli-errors-'));
const rel = (f: string) => relative(root, join(work, f));
afterAll(() => rmSync(work, { recursive: true, force: true }));

async function atakora(
  ...args: string[]
): Promise<{ code: number; stdout: string; stderr: string }> {
  return atakoraWith({}, ...args);
}

function cliEnv(extra: NodeJS.ProcessEnv): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = { ...process.env, NO_COLOR: '1' };
  delete env['ATAKORA_DEBUG'];
  return Object.assign(env, extra);
}

/** `atakora <args>` through the built main in this worker, as the bin runs it (the command's behaviour). */
function inProcess(
  extra: NodeJS.ProcessEnv,
  ...args: string[]
): Promise<{ code: number; stdout: string; stderr: string }> {
  return runCliInProcess(args, { env: cliEnv(extra), cwd: root });
}

/** `atakora <args>` as a process of the built bin (what the process boundary proves). */
async function atakoraWith(
  extra: NodeJS.ProcessEnv,
  ...args: string[]
): Promise<{ code: number; stdout: string; stderr: string }> {
  const env = cliEnv(extra);
  try {
    const { stdout, stderr } = await promisify(execFile)(process.execPath, [bin, ...args], {
      cwd: root,
      env,
      timeout: deadline(170_000),
    });
    return { code: 0, stdout, stderr };
  } catch (e) {
    const err = e as { code: number; stdout: string; stderr: string };
    return { code: err.code, stdout: err.stdout, stderr: err.stderr };
  }
}

/** No stack frame of Node, a dependency or the library, and no esbuild/Node error class names. */
function expectNoInternals(stderr: string): void {
  expect(stderr).not.toMatch(/^\s+at .*(node:|node_modules|\/dist\/|\/src\/)/m);
  expect(stderr).not.toMatch(
    /TransformError|ERR_UNSUPPORTED_DIR_IMPORT|ERR_IMPORT_ASSERTION_TYPE_MISSING|failureErrorWithLog/,
  );
}

function write(name: string, text: string): string {
  writeFileSync(join(work, name), text);
  return rel(name);
}

// Each test runs the CLI up to three times in a row; on a loaded machine one run can take 10 s and more.
describe('atakora: failures end in a short message with the fix', () => {
  it('a syntax error in a TypeScript entry: ENTRY_SYNTAX_ERROR with file:line:column and the line, exit 1', async () => {
    const entry = write(
      'broken.ts',
      "import { defineBackend } from '@atakora/component/backend';\nexport default defineBackend({\n  users: 1\n  orders: 2 });\n",
    );
    const r = await atakora('plan', entry);
    expect(r.code).toBe(1);
    expect(r.stderr).toContain(
      `Error ENTRY_SYNTAX_ERROR: ${entry}:4:3: Expected "}" but found "orders"`,
    );
    expect(r.stderr).toContain('  orders: 2 });\n      ^');
    expect(r.stderr).toContain('Resolution: Fix the syntax error');
    expectNoInternals(r.stderr);
  });

  it('top-level await in a CommonJS project loaded through tsx: says what to change (type module, .mts, a function)', async () => {
    // npm init -y writes "type": "commonjs": tsx compiles its .ts files as CommonJS, which has no top-level await.
    mkdirSync(join(work, 'cjs'), { recursive: true });
    writeFileSync(
      join(work, 'cjs/package.json'),
      JSON.stringify({ name: 'cjs', type: 'commonjs' }),
    );
    const entry = write(
      'cjs/tla.ts',
      'const flags = await Promise.resolve({ users: true });\nexport default flags;\n',
    );
    const r = await atakoraWith({ ATAKORA_TS_LOADER: 'tsx' }, 'plan', entry);
    expect(r.code).toBe(1);
    expect(r.stderr).toContain(
      `Error ENTRY_SYNTAX_ERROR: ${entry}:1:15: Top-level await is currently not supported`,
    );
    expect(r.stderr).toContain(`Resolution: ${entry} is CommonJS`);
    expect(r.stderr).toContain('npm pkg set type=module');
    expect(r.stderr).toContain('.mts');
    expectNoInternals(r.stderr);
  });

  it('a syntax error in a JavaScript entry: the same, with the position Node reports', async () => {
    const entry = write('broken.mjs', 'export const a = 1;\nexport const b = (;\n');
    const r = await atakora('plan', entry);
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(
      new RegExp(
        `Error ENTRY_SYNTAX_ERROR: ${entry.replace(/[.]/g, '\\.')}:2:\\d+: Unexpected token`,
      ),
    );
    expectNoInternals(r.stderr);
  });

  it('a directory as the entry is a usage error (exit 2) that says to pass the file', async () => {
    mkdirSync(join(work, 'src'), { recursive: true });
    const r = await inProcess({}, 'plan', rel('src'));
    expect(r.code).toBe(2);
    expect(r.stderr).toContain(
      `Usage error: ${rel('src')} is a directory: pass the entry file that exports the backend, e.g. ${rel('src')}/main.ts.`,
    );
    expectNoInternals(r.stderr);
  });

  it('a JSON file as the entry is a usage error (exit 2) that points at parseFlags', async () => {
    const entry = write('flags.json', '{ "users": true }');
    for (const command of ['plan', 'synth', 'dev']) {
      const r = await inProcess({}, command, entry);
      expect(r.code, command).toBe(2);
      expect(r.stderr).toContain(`Usage error: ${entry} is not a module`);
      expect(r.stderr).toContain('parseFlags(');
      expectNoInternals(r.stderr);
    }
  });

  it("dev checks its entry before the port: a bad entry is exit 2 even while another program holds 7071, dev's default", async () => {
    // Another `atakora dev`, `func start` or a parallel test run may hold 7071 at any time; the entry's mistake
    // must not become DEV_PORT_IN_USE (exit 1). Hold it here, unless someone already does.
    const holder: Server = createServer();
    const held = await new Promise<boolean>((r) => {
      holder.once('error', () => r(false));
      holder.listen(7071, '127.0.0.1', () => r(true));
    });
    try {
      const entry = write('flags-busy.json', '{ "users": true }');
      const r = await inProcess({}, 'dev', entry);
      expect(r.code).toBe(2);
      expect(r.stderr).toContain(`Usage error: ${entry} is not a module`);
      expect(r.stderr).not.toContain('DEV_PORT_IN_USE');
    } finally {
      if (held) await new Promise<void>((r) => holder.close(() => r()));
    }
  });

  it('an entry exporting only a function with parameters says the function was skipped, and why (exit 1)', async () => {
    const entry = write(
      'for-flags.ts',
      [
        "import { defineBackend } from '@atakora/component/backend';",
        "import { CrudApi } from '@atakora/component/crud';",
        'export default function forFlags(flags: { users: boolean }) {',
        "  return defineBackend({ environment: 'dev' }).when(flags.users, (b) => b.addComponent(CrudApi.define('UserApi', { entityName: 'User', schema: { id: 'string' } }))).addComponent(CrudApi.define('OrderApi', { entityName: 'Order', schema: { id: 'string' } }));",
        '}',
      ].join('\n'),
    );
    const r = await inProcess({}, 'plan', entry);
    expect(r.code).toBe(1);
    expect(r.stderr).toContain(
      `Error COMPONENT_INVALID: ${entry} exports no backend. Skipped forFlags (default export): it takes parameters, and atakora calls only functions without parameters.`,
    );
    expect(r.stderr).toContain('Resolution: Export what the function returns for your inputs');
    expectNoInternals(r.stderr);
  });

  it('an entry that throws while loading: the error and the line of the entry it came from, no stack (exit 1)', async () => {
    const entry = write(
      'throws.ts',
      "const config = JSON.parse('{}') as { read(): void };\nconfig.read();\nexport default 1;\n",
    );
    const r = await inProcess({}, 'plan', entry);
    expect(r.code).toBe(1);
    expect(r.stderr).toContain(
      `Error ${entry} failed while loading: TypeError: config.read is not a function\n  at ${entry}:2:`,
    );
    expectNoInternals(r.stderr);
    // For a bug report: ATAKORA_DEBUG=1 shows the stacks, the entry's own error as the cause.
    const debug = await inProcess({ ATAKORA_DEBUG: '1' }, 'plan', entry);
    expect(debug.code).toBe(1);
    expect(debug.stderr).toMatch(/^\s+at entryLoadError /m);
    expect(debug.stderr).toContain('[cause]: TypeError: config.read is not a function');
  });

  it('atakora dev on a busy port: DEV_PORT_IN_USE naming the port and --port (exit 1)', async () => {
    const server: Server = createServer();
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    const port = (server.address() as { port: number }).port;
    try {
      const r = await inProcess({}, 'dev', 'examples/basic.ts', '--port', String(port));
      expect(r.code).toBe(1);
      expect(r.stderr).toContain(
        `Error DEV_PORT_IN_USE: Port ${String(port)} on 127.0.0.1 is in use`,
      );
      expect(r.stderr).toContain(`--port ${String(port + 1)}`);
      expectNoInternals(r.stderr);
    } finally {
      await new Promise<void>((r) => server.close(() => r()));
    }
  });

  it('atakora --version prints the package version (exit 0)', async () => {
    const { version } = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8')) as {
      version: string;
    };
    // The bin's stdout and exit code for --version; -v and --help are the same main's answers.
    for (const r of [await atakora('--version'), await inProcess({}, '-v')]) {
      expect(r.code).toBe(0);
      expect(r.stdout).toBe(`${version}\n`);
    }
    expect((await inProcess({}, '--help')).stdout).toContain('atakora --version');
  });
});
