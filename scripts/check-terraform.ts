/**
 * `npm run check:terraform`: every example, every fixture backend (test/terraform/targets.ts) and four configs drawn
 * from the config schema (test/terraform/drawn-configs.ts, a fixed seed) synthesized, then
 * checked by the real azurerm and azuread providers — `terraform init -backend=false`, `terraform validate -json`
 * and an offline `terraform plan` (the shared tf-plan.sh: a private network namespace where a loopback server
 * stands in for Entra, Resource Manager and Graph). Any error or warning not in EXPECTED_DIAGNOSTICS fails.
 *
 *   tsx scripts/check-terraform.ts [--only REGEX] [--keep]
 *
 * Env:
 *   ATAKORA_TERRAFORM_PROVIDERS_DIR    the shared provider folder (mirror.sh, plan/tf-plan.sh, the binaries);
 *                                      default ../shared/terraform-providers beside the repository
 *   ATAKORA_TERRAFORM_PROVIDER_MIRROR  a folder: validate installs hashicorp/azurerm and azuread from a filesystem
 *                                      mirror unpacked there (mirror.sh); otherwise from the registry as usual
 *   TERRAFORM                          the terraform binary (default `terraform`, 1.11)
 * Needs `dist/` (npm run build), root (tf-plan.sh uses unshare), python3, openssl, xz.
 */
import { spawn } from 'node:child_process';
import { createHash } from 'node:crypto';
import {
  cpSync,
  existsSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  rmSync,
  symlinkSync,
  writeFileSync,
} from 'node:fs';
import { homedir, tmpdir } from 'node:os';
import { join, relative, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import {
  allowedValues,
  PROBE_VALUE,
  PROVIDER_ENUMERATIONS,
} from '../test/terraform/enumerations.js';
import { drawnEntry, drawnStackConfigs } from '../test/terraform/drawn-configs.js';
import {
  EXAMPLE_TARGETS,
  EXPECTED_DIAGNOSTICS,
  FIXTURE_DIR,
  type ExpectedDiagnostic,
} from '../test/terraform/targets.js';
import { writeRotatedKeyStack } from './terraform-rotated-key.js';

const root = resolve(import.meta.dirname, '..');
const started = Date.now();
const args = process.argv.slice(2);
const only = args.includes('--only')
  ? new RegExp(args[args.indexOf('--only') + 1] ?? '.')
  : undefined;
const keep = args.includes('--keep');
const TF = process.env['TERRAFORM'] ?? 'terraform';
// The subscription tf-plan.sh's providers are configured with; synthesizing with the same keeps names stable.
const SUBSCRIPTION =
  process.env['TF_PLAN_SUBSCRIPTION_ID'] ?? '3f1c2a4e-0000-4000-8000-00000000abcd';
process.env['ARM_SUBSCRIPTION_ID'] ??= SUBSCRIPTION;
const PARALLEL = 2;

interface Diagnostic {
  readonly severity: string;
  readonly summary: string;
  readonly detail?: string;
  readonly address?: string;
}
interface Stack {
  readonly label: string;
  readonly dir: string;
  readonly hash: string;
}
interface Result {
  readonly ok: boolean;
  readonly line: string;
  readonly unexpected: readonly string[];
}

const shared = resolve(
  process.env['ATAKORA_TERRAFORM_PROVIDERS_DIR'] ??
    join(root, '..', 'shared', 'terraform-providers'),
);
const mirrorEnv = process.env['ATAKORA_TERRAFORM_PROVIDER_MIRROR'];
// Only without a mirror: providers are then downloaded, once, into a plugin cache (prepareProviders).
const SHARED_PLUGIN_CACHE = mirrorEnv === undefined;
const work = mkdtempSync(join(tmpdir(), 'atakora-check-terraform-'));
const seenExpected = new Set<ExpectedDiagnostic>();
mkdirSync(join(root, 'node_modules', '.cache'), { recursive: true });
const drawnDir = mkdtempSync(join(root, 'node_modules', '.cache', 'atakora-drawn-'));

function fail(message: string): never {
  rmSync(drawnDir, { recursive: true, force: true });
  process.stderr.write(`check:terraform: ${message}\n`);
  process.exit(1);
}

/** Run a command; resolves with its exit code and output (never rejects on a non-zero exit). */
function run(
  cmd: string,
  argv: readonly string[],
  opts: { cwd?: string; env?: NodeJS.ProcessEnv } = {},
): Promise<{ code: number; stdout: string; stderr: string }> {
  return new Promise((done) => {
    const child = spawn(cmd, argv, {
      cwd: opts.cwd ?? root,
      env: opts.env ?? process.env,
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d: Buffer) => {
      stdout += d.toString();
    });
    child.stderr.on('data', (d: Buffer) => {
      stderr += d.toString();
    });
    child.on('error', (e) => {
      done({ code: 127, stdout, stderr: `${stderr}${e.message}` });
    });
    child.on('close', (code) => {
      done({ code: code ?? 1, stdout, stderr });
    });
  });
}

// ---- providers: the binaries for tf-plan.sh, and the CLI configuration validate installs them with ----

async function prepareProviders(): Promise<{
  cliConfig: string;
  dropTime: boolean;
  provBin: string;
}> {
  for (const f of ['mirror.sh', 'plan/tf-plan.sh']) {
    if (!existsSync(join(shared, f)))
      fail(
        `${join(shared, f)} is missing: clone the shared folder beside the repository or set ATAKORA_TERRAFORM_PROVIDERS_DIR.`,
      );
  }
  // tf-plan.sh runs offline, so it always needs the shared binaries; unpacked once here (mirror.sh checks them).
  const mirror = resolve(mirrorEnv ?? join(tmpdir(), 'atakora-tf-mirror'));
  const unpacked = await run('bash', [join(shared, 'mirror.sh'), mirror]);
  if (unpacked.code !== 0) fail(`mirror.sh ${mirror} failed: ${unpacked.stderr.trim()}`);
  const provBin = join(work, 'provider-bin');
  mkdirSync(provBin);
  for (const [name, version] of [
    ['azurerm', '4.55.0'],
    ['azuread', '3.7.0'],
  ] as const) {
    symlinkSync(
      join(
        mirror,
        'registry.terraform.io/hashicorp',
        name,
        version,
        'linux_amd64',
        `terraform-provider-${name}_v${version}`,
      ),
      join(provBin, `terraform-provider-${name}_v${version}`),
    );
  }
  // With a mirror: mirror.sh's configuration (azurerm and azuread from the mirror, the rest as usual). An
  // unpacked mirror's providers are linked into each stack's .terraform, not copied, and no plugin cache is set:
  // every `terraform init` without a lock file re-links a cache's entry, so one stack's init could pull the
  // provider from under another stack's validate ("could not read package directory"; the cache is not safe for
  // concurrent use, hashicorp/terraform#31964). Without a mirror, providers are downloaded into a plugin cache
  // (190 MB for azurerm, once), and the stacks' init and validate take turns (`oneAtATime`).
  const cliConfig = join(work, 'terraformrc');
  let config = mirrorEnv ? readFileSync(unpacked.stdout.trim(), 'utf8') : '';
  if (SHARED_PLUGIN_CACHE) {
    const cacheDir = join(
      process.env['XDG_CACHE_HOME'] ?? join(homedir(), '.cache'),
      'atakora',
      'terraform-plugins',
    );
    mkdirSync(cacheDir, { recursive: true });
    config = `plugin_cache_dir = "${cacheDir}"\n${config}`;
  }
  writeFileSync(cliConfig, config);
  // A mirror without hashicorp/time (the shared one: it cannot be built offline) cannot install it, so the
  // checked copy leaves out time_sleep, as tf-plan.sh does (referenced only from depends_on).
  const dropTime =
    mirrorEnv !== undefined && !existsSync(join(mirror, 'registry.terraform.io/hashicorp/time'));
  return { cliConfig, dropTime, provBin };
}

// ---- synthesis ----

type SynthMain = (
  argv: readonly string[],
  io: { out: (s: string) => void; err: (s: string) => void; stdout: object },
) => Promise<number>;

async function synthesize(): Promise<{ stacks: Stack[]; failures: Result[] }> {
  const distMain = join(root, 'dist/cli/main.js');
  if (!existsSync(distMain))
    fail('dist/ is missing: run `npm run build` first (npm run check:terraform does).');
  const { main } = (await import(pathToFileURL(distMain).href)) as { main: SynthMain };
  const stacks: Stack[] = [];
  const failures: Result[] = [];
  const collect = (label: string, out: string) => {
    const dir = join(out, 'stacks');
    for (const name of existsSync(dir) ? readdirSync(dir).sort() : []) {
      const file = join(dir, name, 'cdk.tf.json');
      if (existsSync(file))
        stacks.push({ label: `${label} ${name}`, dir: join(dir, name), hash: contentHash(file) });
    }
  };
  const cli = async (file: string, label: string) => {
    const out = join(work, 'synth', slug(label));
    mkdirSync(out, { recursive: true });
    let err = '';
    const code = await main(['synth', file, '--out', out], {
      out: () => undefined,
      err: (s) => {
        err += s;
      },
      stdout: {},
    });
    if (code !== 0)
      failures.push({
        ok: false,
        line: `FAIL ${label}: atakora synth exited ${code}`,
        unexpected: [firstLines(err)],
      });
    else collect(label, out);
  };
  const fixtures = readdirSync(join(root, FIXTURE_DIR))
    .filter((f) => f.endsWith('.ts'))
    .sort();
  const jobs: { label: string; go: () => Promise<void> }[] = [];
  for (const [file, target] of Object.entries(EXAMPLE_TARGETS)) {
    if (target.cli) jobs.push({ label: `${file} (cli)`, go: () => cli(file, `${file} (cli)`) });
    if (target.program) {
      const label = `${file} (program)`;
      const fn = target.program;
      jobs.push({
        label,
        go: async () => {
          const out = join(work, 'synth', slug(label));
          try {
            const mod = (await import(pathToFileURL(join(root, file)).href)) as Record<
              string,
              unknown
            >;
            const program = mod[fn];
            if (typeof program !== 'function') throw new Error(`${file} exports no function ${fn}`);
            await (program as (outdir: string) => unknown)(out);
            collect(label, out);
          } catch (e) {
            failures.push({
              ok: false,
              line: `FAIL ${label}: ${fn}() threw`,
              unexpected: [firstLines(e instanceof Error ? e.message : String(e))],
            });
          }
        },
      });
    }
  }
  for (const f of fixtures)
    jobs.push({ label: `fixtures/${f}`, go: () => cli(join(FIXTURE_DIR, f), `fixtures/${f}`) });
  // Configs drawn from the config schema (fixed seed): every value it admits must be one the providers admit.
  // Inside the repository (node_modules/.cache), so what the built package imports (zod, cdktf) resolves from them.
  for (const [i, config] of drawnStackConfigs().entries()) {
    const file = join(drawnDir, `drawn-${String(i)}.ts`);
    writeFileSync(file, drawnEntry(config, join(root, 'dist')));
    jobs.push({ label: `drawn/${String(i)}`, go: () => cli(file, `drawn/${String(i)}`) });
  }
  // Synthesis logs (progress, warnings about names) are the CLI's and the examples'; the check's output is its lines.
  const write = process.stdout.write.bind(process.stdout);
  const writeErr = process.stderr.write.bind(process.stderr);
  for (const job of jobs.filter((j) => !only || only.test(j.label))) {
    process.stdout.write = (() => true) as typeof process.stdout.write;
    process.stderr.write = (() => true) as typeof process.stderr.write;
    try {
      await job.go();
    } finally {
      process.stdout.write = write;
      process.stderr.write = writeErr;
    }
  }
  return { stacks: stacks.filter((s) => !only || only.test(s.label)), failures };
}

/** The stack without cdktf's metadata (`//`) and its backend: two stacks alike in this are checked once. */
function contentHash(file: string): string {
  const strip = (v: unknown): unknown => {
    if (Array.isArray(v)) return v.map(strip);
    if (v && typeof v === 'object')
      return Object.fromEntries(
        Object.entries(v)
          .filter(([k]) => k !== '//' && k !== 'backend')
          .map(([k, x]) => [k, strip(x)]),
      );
    return v;
  };
  return createHash('sha256')
    .update(JSON.stringify(strip(JSON.parse(readFileSync(file, 'utf8')))))
    .digest('hex');
}

const slug = (s: string) => s.replace(/[^A-Za-z0-9.-]+/g, '_');
const firstLines = (s: string) => s.trim().split('\n').slice(0, 4).join(' | ');

// ---- the checks of one stack ----

function unexpectedOf(label: string, phase: string, diags: readonly Diagnostic[]): string[] {
  const out: string[] = [];
  for (const d of diags) {
    const text = `${d.summary} ${d.detail ?? ''}`;
    const expected = EXPECTED_DIAGNOSTICS.find(
      (e) => e.severity === d.severity && e.stack.test(label) && e.message.test(text),
    );
    if (expected) {
      seenExpected.add(expected);
      continue;
    }
    out.push(
      `${phase} ${d.severity}: ${d.address ? `${d.address}: ` : ''}${d.summary}${d.detail ? ` — ${d.detail.replace(/\s+/g, ' ').slice(0, 400)}` : ''}`,
    );
  }
  return out;
}

/** Runs `task` after every task given before it has ended (the stacks' turns at a shared plugin cache). */
let turn: Promise<unknown> = Promise.resolve();
function oneAtATime<T>(task: () => Promise<T>): Promise<T> {
  const mine = turn.then(task, task);
  turn = mine.catch(() => undefined);
  return mine;
}

async function validate(
  stack: Stack,
  providers: { cliConfig: string; dropTime: boolean },
  prepared?: string,
): Promise<{ diags: Diagnostic[]; note: string }> {
  const dir = prepared ? stack.dir : join(work, 'validate', slug(stack.label));
  mkdirSync(dir, { recursive: true });
  const src = join(stack.dir, 'cdk.tf.json');
  let note = '';
  if (prepared) note = 'probe';
  else if (providers.dropTime) {
    const prep = await run('python3', [
      join(shared, 'plan/prep.py'),
      src,
      join(dir, 'main.tf.json'),
      '4.55.0',
      '3.7.0',
    ]);
    if (prep.code !== 0)
      return {
        diags: [{ severity: 'error', summary: `prep.py failed: ${firstLines(prep.stderr)}` }],
        note,
      };
    note = prep.stdout.trim();
  } else cpSync(src, join(dir, 'main.tf.json'));
  if (!prepared && existsSync(join(stack.dir, 'assets')))
    symlinkSync(join(stack.dir, 'assets'), join(dir, 'assets'));
  const env = {
    ...process.env,
    TF_CLI_CONFIG_FILE: providers.cliConfig,
    TF_IN_AUTOMATION: '1',
    CHECKPOINT_DISABLE: '1',
  };
  const terraform = async () => {
    const init = await run(TF, ['init', '-backend=false', '-input=false', '-no-color'], {
      cwd: dir,
      env,
    });
    if (init.code !== 0) return { init };
    return { init, v: await run(TF, ['validate', '-json', '-no-color'], { cwd: dir, env }) };
  };
  const { init, v } = await (SHARED_PLUGIN_CACHE ? oneAtATime(terraform) : terraform());
  if (!v)
    return {
      diags: [
        {
          severity: 'error',
          summary: `terraform init failed: ${firstLines(init.stderr || init.stdout)}`,
        },
      ],
      note,
    };
  rmSync(join(dir, '.terraform'), { recursive: true, force: true });
  try {
    const json = JSON.parse(v.stdout) as { diagnostics?: Diagnostic[] };
    return { diags: json.diagnostics ?? [], note };
  } catch {
    return {
      diags: [
        {
          severity: 'error',
          summary: `terraform validate gave no JSON (exit ${v.code}): ${firstLines(v.stderr)}`,
        },
      ],
      note,
    };
  }
}

async function plan(
  stack: Stack,
  provBin: string,
  state?: string,
): Promise<{ diags: Diagnostic[]; line: string; code: number }> {
  const diagFile = join(work, 'plan-diags', `${slug(stack.label)}.jsonl`);
  mkdirSync(join(work, 'plan-diags'), { recursive: true });
  const env = {
    ...process.env,
    TF_PROV_BIN: provBin,
    TF_PLAN_SUBSCRIPTION_ID: SUBSCRIPTION,
    // Planned against a state (the local backend's legacy `-state`; its deprecation warning is expected).
    ...(state ? { TF_CLI_ARGS_plan: `-state=${state}` } : {}),
  };
  const r = await run(
    'bash',
    [join(shared, 'plan/tf-plan.sh'), '-d', diagFile, '-f', planFixtures(), stack.dir],
    { env },
  );
  const diags = existsSync(diagFile)
    ? readFileSync(diagFile, 'utf8')
        .split('\n')
        .filter(Boolean)
        .map((l) => JSON.parse(l) as Diagnostic)
    : [];
  const line =
    r.stdout
      .split('\n')
      .find((l) => / (planned|FAILED) /.test(l))
      ?.replace(/^[^:]*: /, '') ?? firstLines(r.stderr || r.stdout);
  return { diags, line, code: r.code };
}

/**
 * The stand-in server's answers for resources a stack reads as existing: the shared ones (VNets, subnets, Cosmos DB
 * accounts) and ours (test/terraform/plan-fixtures.json: a DNS zone).
 */
function planFixtures(): string {
  const file = join(work, 'plan-fixtures.json');
  if (!existsSync(file)) {
    const read = (f: string) => JSON.parse(readFileSync(f, 'utf8')) as unknown[];
    writeFileSync(
      file,
      JSON.stringify([
        ...read(join(shared, 'plan/fixtures-existing.json')),
        ...read(join(root, 'test/terraform/plan-fixtures.json')),
      ]),
    );
  }
  return file;
}

/**
 * Each list of ours the provider checks against a fixed list of its own (test/terraform/enumerations.ts): a
 * one-resource stack with a value no list holds, whose refusal names the provider's list; ours must be in it.
 */
async function probe(providers: { cliConfig: string }): Promise<Result[]> {
  const results: Result[] = [];
  for (const e of PROVIDER_ENUMERATIONS) {
    const label = `probe ${e.attribute}`;
    if (only && !only.test(label)) continue;
    const dir = join(work, 'probes', slug(e.attribute));
    mkdirSync(dir, { recursive: true });
    writeFileSync(
      join(dir, 'main.tf.json'),
      JSON.stringify({
        terraform: {
          required_providers: { azurerm: { source: 'hashicorp/azurerm', version: '4.55.0' } },
        },
        provider: { azurerm: [{ features: [{}] }] },
        resource: e.probe,
      }),
    );
    const v = await validate(
      { label, dir, hash: '' },
      { ...providers, dropTime: false },
      join(dir, 'main.tf.json'),
    );
    const refusal = v.diags.find(
      (d) => d.severity === 'error' && `${d.summary} ${d.detail ?? ''}`.includes(PROBE_VALUE),
    );
    const theirs = refusal
      ? allowedValues(`${refusal.summary} ${refusal.detail ?? ''}`)
      : undefined;
    if (!theirs) {
      results.push({
        ok: false,
        line: `FAIL ${label}: the probe value was not refused with a list of values`,
        unexpected: v.diags.map((d) => `${d.severity}: ${d.summary}`),
      });
      continue;
    }
    const refused = e.values.filter((x) => !theirs.includes(x));
    results.push({
      ok: refused.length === 0,
      line:
        refused.length === 0
          ? `ok   ${label} — our ${e.values.length} values are all in the provider's list of ${theirs.length}`
          : `FAIL ${label} — ${refused.length} of our ${e.values.length} values are not in the provider's list of ${theirs.length}`,
      unexpected: refused.map((x) => `not in the provider's list: ${x}`),
    });
  }
  return results;
}

async function check(
  stack: Stack,
  providers: Awaited<ReturnType<typeof prepareProviders>>,
): Promise<Result> {
  const t = Date.now();
  const v = await validate(stack, providers);
  const p = await plan(stack, providers.provBin);
  const unexpected = [
    ...unexpectedOf(stack.label, 'validate', v.diags),
    ...unexpectedOf(stack.label, 'plan', p.diags),
  ];
  // tf-plan.sh failing without a diagnostic (a crash, a timeout, a stand-in server fault) fails the stack too.
  if (p.code !== 0 && p.diags.every((d) => d.severity !== 'error'))
    unexpected.push(`plan: ${p.line}`);
  const ok = unexpected.length === 0;
  const counts = (ds: readonly Diagnostic[]) =>
    `${ds.filter((d) => d.severity === 'error').length}E/${ds.filter((d) => d.severity === 'warning').length}W`;
  const plannedCounts = /\(([+][^,]*)/.exec(p.line)?.[1] ?? '';
  return {
    ok,
    unexpected,
    line: `${ok ? 'ok  ' : 'FAIL'} ${stack.label} — validate ${counts(v.diags)}, plan ${counts(p.diags)} ${plannedCounts}${v.note ? ` [${v.note}]` : ''} (${((Date.now() - t) / 1000).toFixed(1)} s)`,
  };
}

/**
 * The stack's Key Vault keys the day after Key Vault rotated them by their policy (scripts/terraform-rotated-key.ts):
 * the plan against that state must change nothing — a replaced signing key would end every agent's token.
 */
async function checkRotatedKeys(stack: Stack, provBin: string): Promise<Result | undefined> {
  const dir = join(work, 'rotated', slug(stack.label));
  const state = writeRotatedKeyStack(stack.dir, dir, SUBSCRIPTION);
  if (!state) return undefined;
  const p = await plan({ ...stack, label: `${stack.label} rotated`, dir }, provBin, state);
  const errors = p.diags.filter(
    (d) => d.severity === 'error' || !/Deprecated flag: -state/.test(d.summary),
  );
  const unchanged = /\(\+0 ~0 -0[,)]/.test(p.line);
  const ok = p.code === 0 && unchanged && errors.length === 0;
  const counts = /\(([+][^,)]*)/.exec(p.line)?.[1] ?? p.line;
  return {
    ok,
    unexpected: [
      ...(unchanged ? [] : [`plan after a rotation changes the key: ${p.line}`]),
      ...errors.map((d) => `plan ${d.severity}: ${d.address ?? ''} ${d.summary}`),
    ],
    line: `${ok ? 'ok  ' : 'FAIL'} ${stack.label} — the day after Key Vault rotated its keys, plan ${counts}`,
  };
}

// ---- main ----

if (process.getuid?.() !== 0)
  fail('the offline plan (tf-plan.sh) needs root for unshare; run as root (CI does).');
const providers = await prepareProviders();
const { stacks, failures } = await synthesize();
let passed = 0;
let failed = 0;
const report = (r: Result) => {
  process.stdout.write(`${r.line}\n${r.unexpected.map((u) => `       ${u}\n`).join('')}`);
  if (r.ok) passed++;
  else failed++;
};
for (const f of failures) report(f);
for (const r of await probe(providers)) report(r);

const firstOf = new Map<string, Stack>();
const unique = stacks.filter((s) => !firstOf.has(s.hash) && firstOf.set(s.hash, s));
const results = new Map<string, Result>();
let next = 0;
await Promise.all(
  Array.from({ length: PARALLEL }, async () => {
    while (next < unique.length) {
      const stack = unique[next++]!;
      const r = await check(stack, providers);
      results.set(stack.hash, r);
      report(r);
      const rotated = await checkRotatedKeys(stack, providers.provBin);
      if (rotated) report(rotated);
    }
  }),
);
// A stack identical (but for cdktf's metadata) to one checked above shares its result.
for (const s of stacks.filter((x) => !unique.includes(x))) {
  const first = firstOf.get(s.hash)!;
  const r = results.get(s.hash)!;
  report({
    ok: r.ok,
    unexpected: [],
    line: `${r.ok ? 'ok  ' : 'FAIL'} ${s.label} — identical to ${first.label}`,
  });
}
for (const e of EXPECTED_DIAGNOSTICS.filter((x) => !seenExpected.has(x))) {
  process.stdout.write(
    `note: expected diagnostic not seen (remove it from test/terraform/targets.ts?): ${e.message} — ${e.reason}\n`,
  );
}
rmSync(drawnDir, { recursive: true, force: true });
if (!keep) rmSync(work, { recursive: true, force: true });
else process.stdout.write(`work dir kept: ${relative(process.cwd(), work) || work}\n`);
process.stdout.write(
  `check:terraform: ${unique.length} stacks checked (${stacks.length - unique.length} more identical to one of them) in ${((Date.now() - started) / 1000).toFixed(0)} s\n`,
);
process.stdout.write(`${passed} passed, ${failed} failed\n`);
process.exitCode = failed === 0 ? 0 : 1;
