import { createRequire } from 'node:module';
import { join, resolve } from 'node:path';
import { cruise, type ICruiseResult, type IConfiguration } from 'dependency-cruiser';

const ROOT = resolve(import.meta.dirname, '../..');

/**
 * The violations the repository's own dependency-cruiser rules (`.dependency-cruiser.cjs`) find in a fixture
 * tree whose `src/` stands for the real one: `rule: file` lines, sorted. The fixture lives under the root, so
 * packages resolve from its node_modules as the real files' do.
 *
 * @example
 * ```ts
 * expect(await cruiseFixture(dir)).toEqual(['cli-commands-independent: src/cli/deploy/one.ts']);
 * ```
 */
export async function cruiseFixture(fixture: string): Promise<string[]> {
  const config = createRequire(import.meta.url)(
    join(ROOT, '.dependency-cruiser.cjs'),
  ) as IConfiguration;
  const { tsConfig: _ts, enhancedResolveOptions, ...options } = config.options ?? {};
  const result = await cruise(
    ['src'],
    {
      ...options,
      baseDir: fixture,
      ruleSet: { forbidden: config.forbidden ?? [] },
      validate: true,
    },
    enhancedResolveOptions,
  );
  const output = result.output as ICruiseResult;
  return output.summary.violations.map((v) => `${v.rule.name}: ${v.from}`).sort();
}
