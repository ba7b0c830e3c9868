import { at } from '../../model/at.js';
/**
 * Progress of a deploy, on stderr: one line per stack and step (`[1/2] backend-prod: plan … done (4.1s)`).
 * On a terminal the running step's line is rewritten in place with the resources done so far; without one
 * (CI logs) nothing is rewritten: a step prints its final line, and a long apply a plain line at most every
 * `quietMs` so the log shows it is alive.
 *
 * @example
 * ```ts
 * const step = progress.step('backend-prod', 'apply', 23);
 * step.update(5, 'azurerm_storage_account.backend_storage_shared');
 * step.done('23 added, 0 changed, 0 destroyed');
 * ```
 */
export class Progress {
  private readonly started = Date.now();

  constructor(
    private readonly write: (s: string) => void,
    private readonly tty: boolean,
    private readonly stacks: readonly string[],
    private readonly now: () => number = Date.now,
    private readonly quietMs = 30_000,
  ) {}

  /** Start a step of a stack; `total` is the count of resource operations it will complete, when known. */
  step(stack: string, name: string, total?: number): ProgressStep {
    const prefix = `[${this.stacks.indexOf(stack) + 1}/${this.stacks.length}] ${stack}: ${name}`;
    const t0 = this.now();
    let lastPlain = t0;
    let count = 0;
    const counts = () => (total !== undefined ? ` ${count}/${total}` : count ? ` ${count}` : '');
    const line = (rest: string) => `${prefix}${rest} (${formatElapsed(this.now() - t0)})`;
    if (this.tty) this.write(`\r\u001b[K${prefix}…`);
    return {
      update: (done, what) => {
        count = done;
        if (this.tty) this.write(`\r\u001b[K${line(`${counts()}${what ? ` ${what}` : ''}`)}`);
        else if (this.now() - lastPlain >= this.quietMs) {
          lastPlain = this.now();
          this.write(line(`${counts()} …`) + '\n');
        }
      },
      done: (summary) => {
        this.write(`${this.tty ? '\r\u001b[K' : ''}${line(` — ${summary ?? 'done'}`)}\n`);
      },
      fail: (summary) => {
        this.write(`${this.tty ? '\r\u001b[K' : ''}${line(` — ${summary}`)}\n`);
      },
      clear: () => {
        if (this.tty) this.write('\r\u001b[K');
      },
    };
  }

  /** Time since the deploy started, for the final line. */
  elapsed(): string {
    return formatElapsed(this.now() - this.started);
  }
}

/** A running step. */
export interface ProgressStep {
  update(done: number, what?: string): void;
  done(summary?: string): void;
  fail(summary: string): void;
  /** Ends the step without a line of its own (on a terminal, erases its running line). */
  clear(): void;
}

/** `4.1s`, `2m05s`. */
export function formatElapsed(ms: number): string {
  const s = ms / 1000;
  if (s < 60) return `${s.toFixed(1)}s`;
  const m = Math.floor(s / 60);
  return `${m}m${String(Math.floor(s - m * 60)).padStart(2, '0')}s`;
}

/**
 * Reads `terraform apply` stdout: each "<address>: Creation complete after 2s [id=…]" (also Modifications,
 * Destruction) is one operation done; "Apply complete! Resources: 3 added, 0 changed, 0 destroyed." (or
 * "Destroy complete! Resources: 3 destroyed.") is the total Terraform reports.
 *
 * @example
 * ```ts
 * parseApplyLine('azurerm_resource_group.rg: Creation complete after 2s [id=/subscriptions/…]'); // { completed: 'azurerm_resource_group.rg' }
 * ```
 */
export function parseApplyLine(line: string): { completed?: string; summary?: string } {
  const done = /^(\S+): (?:Creation|Modifications|Destruction) complete\b/.exec(line.trim());
  if (done) return { completed: at(done, 1) };
  const summary = /^(?:Apply|Destroy) complete! Resources: (.+?)\.?$/.exec(line.trim());
  if (summary) return { summary: at(summary, 1) };
  return {};
}
