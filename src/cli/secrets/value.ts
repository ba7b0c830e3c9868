import { AtakoraError } from '../../model/errors.js';

/** What {@link readSecretValue} reads from: process.stdin, or a test's stream. */
export interface SecretInput extends NodeJS.ReadableStream {
  readonly isTTY?: boolean;
  setRawMode?: (raw: boolean) => unknown;
}

/**
 * A secret's value, never from an argument: all of stdin when it is a pipe or a file (one trailing newline
 * dropped, as `echo` adds it), else a hidden prompt on the terminal (nothing echoed). An empty value is
 * SECRET_VALUE_EMPTY.
 *
 * @example
 * ```ts
 * const value = await readSecretValue(process.stdin, (s) => process.stderr.write(s), 'STRIPE_KEY');
 * ```
 */
export async function readSecretValue(
  input: SecretInput,
  err: (s: string) => void,
  name: string,
): Promise<string> {
  const value = input.isTTY
    ? await hiddenPrompt(input, err, name)
    : (await readAll(input)).replace(/\r?\n$/, '');
  if (value === '') {
    throw new AtakoraError(
      'SECRET_VALUE_EMPTY',
      `No value for ${name}: ${input.isTTY ? 'nothing was typed' : 'stdin was empty'}.`,
      { path: ['secrets', name] },
    );
  }
  return value;
}

async function readAll(input: NodeJS.ReadableStream): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const chunk of input)
    chunks.push(typeof chunk === 'string' ? Buffer.from(chunk) : chunk);
  return Buffer.concat(chunks).toString('utf8');
}

function hiddenPrompt(input: SecretInput, err: (s: string) => void, name: string): Promise<string> {
  err(`Value for ${name} (hidden; Enter to finish): `);
  input.setRawMode?.(true);
  input.resume();
  let value = '';
  return new Promise((resolve, reject) => {
    const done = (result: string | Error) => {
      input.setRawMode?.(false);
      input.pause();
      input.removeListener('data', onData);
      err('\n');
      if (result instanceof Error) reject(result);
      else resolve(result);
    };
    const onData = (chunk: Buffer | string) => {
      for (const ch of chunk.toString()) {
        if (ch === '\r' || ch === '\n' || ch === '\u0004') {
          done(value);
          return;
        }
        if (ch === '\u0003') {
          done(
            new AtakoraError('SECRET_VALUE_EMPTY', `No value for ${name}: interrupted.`, {
              path: ['secrets', name],
            }),
          );
          return;
        }
        if (ch === '\u007f' || ch === '\b') value = value.slice(0, -1);
        else value += ch;
      }
    };
    input.on('data', onData);
  });
}
