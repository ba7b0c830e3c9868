import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, relative, resolve } from 'node:path';
import type { Reporter, TestModule } from 'vitest/node';
import type { ProfileLine } from './profile.js';

/**
 * A vitest reporter that prints where the suite's time went, after the run: the slowest test files (wall time
 * of import, setup and tests; their CPU seconds and their waited-for child processes'), and the time spent
 * starting shared parts (the local Cosmos DB server, Azurite, a runtime build, …) by part. `npm test` uses it
 * beside the default reporter (scripts/test.mjs); by hand:
 * `npx vitest run --reporter=default --reporter=./test/support/profile-reporter.ts [files]`.
 * ATAKORA_TEST_PROFILE_TOP sets how many files are listed (20), ATAKORA_TEST_PROFILE_OUT writes the whole
 * profile as JSON (to compare two runs file by file). Then the files with the most GC time and those whose heap
 * grew most (the worker's heapUsed at the file's end less at its start: with isolate: false what a file leaves
 * reachable is marked by every later file's major GCs; ATAKORA_TEST_PROFILE_LIVE=1 measures both after a full GC,
 * so growth is what the file left alive). The workers record through test/support/profile.ts.
 */
interface FileFigures {
  file: string;
  wallS: number;
  importS: number;
  cpuS: number;
  childCpuS: number;
  /** GC pauses while the file ran (s), and the worker's heapUsed as it started and ended (MiB). */
  gcS: number;
  heapStartMiB: number;
  heapEndMiB: number;
  starts: Record<string, { count: number; s: number }>;
}

const root = resolve(import.meta.dirname, '../..');
const s = (n: number) => n.toFixed(1).padStart(6);

export default class ProfileReporter implements Reporter {
  private readonly dir = mkdtempSync(join(tmpdir(), 'atakora-test-profile-'));
  private readonly lines = join(this.dir, 'lines.jsonl');
  private readonly modules: TestModule[] = [];
  private readonly started = performance.now();
  // vitest's own process: it transforms every imported file for the workers and runs the reporters, beside them.
  private readonly mainCpu = process.cpuUsage();

  constructor() {
    // Set before the workers start, so they inherit it (test/support/profile.ts records only when it is set).
    process.env['ATAKORA_TEST_PROFILE'] = this.lines;
    writeFileSync(this.lines, '');
  }

  onTestModuleEnd(module: TestModule): void {
    this.modules.push(module);
  }

  onTestRunEnd(): void {
    const figures = this.figures();
    const top = Number(process.env['ATAKORA_TEST_PROFILE_TOP'] ?? 20);
    const sum = (pick: (f: FileFigures) => number) => figures.reduce((n, f) => n + pick(f), 0);
    const parts = new Map<string, { count: number; s: number }>();
    for (const f of figures)
      for (const [part, v] of Object.entries(f.starts)) {
        const p = parts.get(part) ?? { count: 0, s: 0 };
        parts.set(part, { count: p.count + v.count, s: p.s + v.s });
      }
    const out = [
      '',
      `Where the time went (${figures.length} files, ${((performance.now() - this.started) / 1000).toFixed(0)} s ` +
        `of wall; files' own wall ${sum((f) => f.wallS).toFixed(0)} s, CPU ${sum((f) => f.cpuS).toFixed(0)} s ` +
        `+ child processes ${sum((f) => f.childCpuS).toFixed(0)} s; vitest's main process CPU ` +
        `${this.mainCpuS().toFixed(0)} s; GC ${sum((f) => f.gcS).toFixed(1)} s of the files' CPU):`,
      `  wall s  import  cpu s  child  file (starts)`,
      ...figures.slice(0, top).map(
        (f) =>
          `  ${s(f.wallS)} ${s(f.importS)} ${s(f.cpuS)} ${s(f.childCpuS)}  ${f.file}` +
          (Object.keys(f.starts).length
            ? ` (${Object.entries(f.starts)
                .map(([p, v]) => `${p} ×${v.count} ${v.s.toFixed(1)} s`)
                .join(', ')})`
            : ''),
      ),
      'Starts of shared parts (wall, summed over the files that waited for them):',
      ...[...parts]
        .sort((a, b) => b[1].s - a[1].s)
        .map(([part, v]) => `  ${s(v.s)} s  ×${String(v.count).padEnd(4)} ${part}`),
      'Most GC time (s of GC pauses in the worker while the file ran; heap MiB at its end):',
      ...[...figures]
        .sort((a, b) => b.gcS - a.gcS)
        .slice(0, top)
        .map((f) => `  ${s(f.gcS)} s  ${s(f.heapEndMiB)} MiB  ${f.file}`),
      'Largest heap growths (MiB of heapUsed, end less start of the file; heap at its end):',
      ...[...figures]
        .sort((a, b) => b.heapEndMiB - b.heapStartMiB - (a.heapEndMiB - a.heapStartMiB))
        .slice(0, top)
        .map((f) => `  ${s(f.heapEndMiB - f.heapStartMiB)} MiB  ${s(f.heapEndMiB)} MiB  ${f.file}`),
      '',
    ];
    process.stdout.write(`${out.join('\n')}\n`);
    const json = process.env['ATAKORA_TEST_PROFILE_OUT'];
    if (json) writeFileSync(json, `${JSON.stringify(figures, null, 1)}\n`);
    rmSync(this.dir, { recursive: true, force: true });
  }

  /** CPU seconds of vitest's main process since this reporter was made (transforms, collection, reporting). */
  private mainCpuS(): number {
    const u = process.cpuUsage(this.mainCpu);
    return (u.user + u.system) / 1e6;
  }

  /** Every file's figures, slowest first. */
  private figures(): FileFigures[] {
    const byFile = new Map<string, FileFigures>();
    for (const m of this.modules) {
      const d = m.diagnostic();
      const file = relative(root, m.moduleId);
      byFile.set(file, {
        file,
        wallS: (d.setupDuration + d.collectDuration + d.duration) / 1000,
        importS: d.collectDuration / 1000,
        cpuS: 0,
        childCpuS: 0,
        gcS: 0,
        heapStartMiB: 0,
        heapEndMiB: 0,
        starts: {},
      });
    }
    const lines = readFileSync(this.lines, 'utf8')
      .split('\n')
      .filter(Boolean)
      .map((l) => JSON.parse(l) as ProfileLine);
    for (const line of lines) {
      const f = byFile.get(line.file);
      if (!f) continue;
      if (line.kind === 'file') {
        f.cpuS += line.cpuS;
        f.childCpuS += line.childCpuS;
        f.gcS += line.gcS;
        f.heapStartMiB = line.heapStart / 2 ** 20;
        f.heapEndMiB = line.heapEnd / 2 ** 20;
      } else {
        const p = f.starts[line.part] ?? { count: 0, s: 0 };
        f.starts[line.part] = { count: p.count + 1, s: p.s + line.ms / 1000 };
      }
    }
    return [...byFile.values()].sort((a, b) => b.wallS - a.wallS);
  }
}
