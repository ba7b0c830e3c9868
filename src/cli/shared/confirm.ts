import { createInterface } from 'node:readline';

/** Where a question is asked: a readable that may be a terminal. */
export interface PromptInput extends NodeJS.ReadableStream {
  readonly isTTY?: boolean;
}

/**
 * Ask a yes/no question on `write` and read one line from `input`; only `y` or `yes` (any case) is yes, an
 * empty line or end of input is no.
 *
 * @example
 * ```ts
 * if (!(await confirm('Apply these changes to backend-prod?', process.stdin, (s) => process.stderr.write(s)))) return 1;
 * ```
 */
export function confirm(
  question: string,
  input: PromptInput,
  write: (s: string) => void,
): Promise<boolean> {
  write(`${question} [y/N] `);
  return new Promise((resolve) => {
    const rl = createInterface({ input, terminal: false });
    let answered = false;
    rl.once('line', (line) => {
      answered = true;
      rl.close();
      resolve(/^\s*y(es)?\s*$/i.test(line));
    });
    rl.once('close', () => {
      if (!answered) {
        write('\n');
        resolve(false);
      }
    });
  });
}
