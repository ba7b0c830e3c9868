/**
 * The shape the membership model's commands share (member-commands.ts, owner-commands.ts, join-commands.ts): one
 * spec, each request written into the run's script and its answer compared with the reference model's, and the
 * command named in a shrunk run by the last request it sent.
 */
import type fc from 'fast-check';
import type { Expected } from '../../src/access/model/model-state.js';
import type { Reply } from '../runtime/support/http.js';
import { difference, type ModelSide } from './commands.js';
import type { RealApp } from './real-app.js';

/**
 * A command of the membership model over its `spec`; `run` compares each request through {@link ScriptedCommand.step}.
 *
 * @example
 * ```ts
 * class RenameCommand extends ScriptedCommand<{ org: string }> {
 *   async run(model: ModelSide, real: RealApp) {
 *     this.step(model, `renames ${this.spec.org}`, { status: 200 }, await rename(real, this.spec.org));
 *   }
 * }
 * ```
 */
export abstract class ScriptedCommand<S> implements fc.AsyncCommand<ModelSide, RealApp> {
  protected described: string | undefined;

  constructor(readonly spec: S) {}

  check(): boolean {
    return true;
  }

  abstract run(model: ModelSide, real: RealApp): Promise<void>;

  /**
   * `described` written into the run's script, then the model's `expected` answer against the runtime's `actual`:
   * a difference throws, naming the run's requests so far.
   */
  protected step(model: ModelSide, described: string, expected: Expected, actual: Reply): void {
    model.script.push(described);
    this.described = described;
    const diff = difference(expected, actual);
    if (diff)
      throw new Error(`${described}: ${diff}\nthe run's requests:\n  ${model.script.join('\n  ')}`);
  }

  toString(): string {
    return this.described ?? JSON.stringify(this.spec);
  }
}
