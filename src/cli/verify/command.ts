import { describeChanges } from '../../access/matrix/compare.js';
import { HELP } from '../commands.js';
import { AtakoraError } from '../../model/errors.js';
import { colors } from '../shared/style.js';
import { commandLine, soleEntry, type CommandIo } from '../shared/command-line.js';
import { verifyEntry, type VerifyOptions, type VerifyOutcome } from './run.js';

/** Where the command writes: the result on `out`, progress and errors on `err`. */
export interface VerifyIo extends CommandIo {
  readonly stdout: { isTTY?: boolean };
}

/**
 * `atakora verify <entry> [--update] [--json] [--environment E]`: derive the access matrix, compare it with
 * `atakora.access.json` beside the entry, prove every cell against the local stack. Exit 0 only when every cell
 * held and the file matches (or was written); 1 otherwise; 2 on usage errors. `keep`: a test of the proof itself
 * proves only these rows through the command ({@link VerifyOptions.rows}); the CLI never passes it.
 */
export async function verifyCommand(
  args: readonly string[],
  io: VerifyIo,
  keep?: Pick<VerifyOptions, 'rows'>,
): Promise<number> {
  const line = commandLine(
    args,
    { help: HELP['verify'], strings: ['environment'], booleans: ['update', 'json'] },
    io,
  );
  if (!line) return 0;
  const { values } = line;
  const outcome = await verifyEntry(soleEntry('verify', line.positionals), {
    ...keep,
    update: values.update === true,
    ...(values.environment !== undefined ? { environment: values.environment } : {}),
    progress: (l) => {
      io.err(`${l}\n`);
    },
  });
  if (values.json) io.out(`${JSON.stringify(jsonOf(outcome), null, 2)}\n`);
  else io.out(textOf(outcome, colors(io.stdout)));
  const diverged =
    outcome.proof.divergences.length +
    outcome.plans.reduce((n, p) => n + p.report.divergences.length, 0);
  if (diverged > 0)
    io.err(
      `${new AtakoraError('ACCESS_DIVERGED', `${String(diverged)} cell(s) did not hold against the runtime.`).format()}\n`,
    );
  if (outcome.fileState === 'changed')
    io.err(
      `${new AtakoraError('ACCESS_CHANGED', `The access matrix differs from ${outcome.file ?? 'the file'} (${String(outcome.changes.filter((c) => c.widened).length)} widened, ${String(outcome.changes.filter((c) => !c.widened).length)} narrowed):\n${describeChanges(outcome.changes).join('\n')}`).format()}\n`,
    );
  return outcome.ok ? 0 : 1;
}

/** The machine-readable result (`--json`): the verdict, the file's state, the changes, the divergences. */
function jsonOf(o: VerifyOutcome) {
  return {
    ok: o.ok,
    code:
      o.proof.divergences.length || o.plans.some((p) => p.report.divergences.length)
        ? 'ACCESS_DIVERGED'
        : o.fileState === 'changed'
          ? 'ACCESS_CHANGED'
          : null,
    file: o.file ?? null,
    fileState: o.fileState,
    changes: o.changes,
    requests: o.proof.requests,
    cellsProven: o.proof.proven.size,
    divergences: o.proof.divergences,
    unproven: o.proof.unproven,
    unexercised: o.unexercised,
    notes: o.notes,
    seconds: Math.round(o.seconds * 10) / 10,
    matrix: o.matrix,
    // The per-plan proof (docs/verify.md "Per plan"): absent from the committed matrix, listed here per feature set.
    plans: o.plans.map((p) => ({
      plans: p.plans,
      features: p.features,
      organizations: p.organizations,
      directories: p.directories,
      requests: p.report.requests,
      cellsProven: p.report.proven.size,
      divergences: p.report.divergences,
      unproven: p.report.unproven,
      rows: p.rows,
    })),
    planSeconds: Math.round(o.planSeconds * 10) / 10,
  };
}

/** Each plan set's rows in the matrix's style, its divergences and what it did not prove, then its tally. */
function plansText(
  o: VerifyOutcome,
  c: ReturnType<typeof colors>,
  principals: VerifyOutcome['matrix']['principals'],
): string[] {
  const lines: string[] = [];
  for (const p of o.plans) {
    const keys = principals.filter((x) => p.rows.some((r) => x.key in r.cells)).map((x) => x.key);
    lines.push(
      `Per plan ${p.plans.join(', ')} (features: ${p.features.join(', ') || 'none'}): ${String(p.rows.length)} routes`,
    );
    const width = Math.max(...p.rows.map((r) => `${r.component} ${r.operation}`.length));
    lines.push(`${''.padEnd(width)}  ${keys.join('  ')}`);
    for (const r of p.rows)
      lines.push(
        `${`${r.component} ${r.operation}`.padEnd(width)}  ${keys.map((k) => String(r.cells[k]).padEnd(k.length)).join('  ')}`,
      );
    for (const d of p.report.divergences)
      lines.push(
        c.red(
          `✗ [plan ${p.plans[0] ?? ''}] ${d.row} [${d.principal}: ${String(d.cell)}] ${d.request} → expected ${d.expected}, got ${d.answer}`,
        ),
      );
    for (const u of p.report.unproven) lines.push(`- not proven: ${u}`);
    lines.push(
      `plan ${p.plans.join(', ')}: ${String(p.report.requests)} requests, ${String(p.report.proven.size)} cells proven, ` +
        `${String(p.report.divergences.length)} divergences`,
    );
  }
  return lines;
}

function textOf(o: VerifyOutcome, c: ReturnType<typeof colors>): string {
  const lines: string[] = [];
  const { principals, rows } = o.matrix;
  lines.push(
    `Access matrix of ${o.matrix.backendId} (${o.matrix.signIn}): ${String(rows.length)} routes × ${String(principals.length)} principals`,
  );
  const width = Math.max(...rows.map((r) => `${r.component} ${r.operation}`.length));
  lines.push(`${''.padEnd(width)}  ${principals.map((p) => p.key).join('  ')}`);
  for (const r of rows)
    lines.push(
      `${`${r.component} ${r.operation}`.padEnd(width)}  ${principals.map((p) => String(r.cells[p.key]).padEnd(p.key.length)).join('  ')}`,
    );
  for (const i of o.matrix.implications) lines.push(c.yellow(`! ${i.code}: ${i.message}`));
  for (const d of o.proof.divergences)
    lines.push(
      c.red(
        `✗ ${d.row} [${d.principal}: ${String(d.cell)}] ${d.request} → expected ${d.expected}, got ${d.answer}`,
      ),
    );
  for (const u of o.proof.unproven) lines.push(`- not proven: ${u}`);
  lines.push(...plansText(o, c, principals));
  for (const n of o.notes) lines.push(`- note: ${n}`);
  lines.push(
    `${String(o.proof.requests)} requests, ${String(o.proof.proven.size)} cells proven, ` +
      `${String(o.proof.divergences.length)} divergences in ${o.seconds.toFixed(1)} s; ` +
      `${o.file ?? 'no file'}: ${o.fileState}`,
  );
  return `${lines.join('\n')}\n`;
}
