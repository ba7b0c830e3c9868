import { mkdirSync, mkdtempSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { ENGINE_PACKAGES } from './engine-names.js';

const root = resolve(import.meta.dirname, '../..');
/** What a user installs next to the package: the package itself and its peers. */
const INSTALLED = [
  '@atakora/component',
  ENGINE_PACKAGES.cdktf,
  ENGINE_PACKAGES.constructs,
  ENGINE_PACKAGES.azurerm,
  'tsx',
];

export interface UserProject {
  readonly dir: string;
  write(file: string, text: string): string;
  remove(): void;
}

/**
 * A fresh project under the OS temp directory, as `npm init -y` makes it (CommonJS) or with
 * `"type": "module"`, with the package linked in as `npm install <path>` does (a symlink in node_modules).
 */
export function userProject(kind: 'commonjs' | 'module'): UserProject {
  const dir = mkdtempSync(join(tmpdir(), `atakora-${kind}-`));
  const pkg: Record<string, unknown> = { name: `user-${kind}`, version: '1.0.0', private: true };
  if (kind === 'module') pkg['type'] = 'module';
  writeFileSync(join(dir, 'package.json'), JSON.stringify(pkg, null, 2));
  for (const name of INSTALLED) {
    const link = join(dir, 'node_modules', name);
    mkdirSync(dirname(link), { recursive: true });
    symlinkSync(
      name === '@atakora/component' ? root : join(root, 'node_modules', name),
      link,
      'dir',
    );
  }
  return {
    dir,
    write(file, text) {
      writeFileSync(join(dir, file), text);
      return join(dir, file);
    },
    remove() {
      rmSync(dir, { recursive: true, force: true });
    },
  };
}
