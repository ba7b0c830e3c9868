/** ANSI colour only on a TTY and when NO_COLOR is unset. */
export function colors(stream: { isTTY?: boolean }) {
  const on = !!stream.isTTY && !process.env['NO_COLOR'];
  const wrap = (code: number) => (s: string) => (on ? `\u001b[${code}m${s}\u001b[0m` : s);
  return { on, red: wrap(31), yellow: wrap(33), green: wrap(32), bold: wrap(1), dim: wrap(2) };
}
