/** A command-line mistake: exit code 2, with the command's help. */
export class UsageError extends Error {
  override readonly name = 'UsageError';
}
