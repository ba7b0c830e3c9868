/**
 * The engine's package names, for code tests write for a user's project or a child process (which imports the
 * engine itself, as a user's code does). Apart from ./engine.ts so a test that reads them loads no engine.
 */
export const ENGINE_PACKAGES = {
  cdktf: 'cdktf',
  constructs: 'constructs',
  azurerm: '@cdktf/provider-azurerm',
} as const;
