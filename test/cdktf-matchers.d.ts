// cdktf's Testing.setupJest() adds these matchers at run time; tell vitest's types about them.
import 'vitest';

interface CdktfMatchers<R = unknown> {
  toHaveResource(resourceType: unknown): R;
  toHaveResourceWithProperties(resourceType: unknown, properties: Record<string, unknown>): R;
  toHaveDataSource(dataSourceType: unknown): R;
  toHaveDataSourceWithProperties(dataSourceType: unknown, properties: Record<string, unknown>): R;
  toHaveProvider(providerType: unknown): R;
  toHaveProviderWithProperties(providerType: unknown, properties: Record<string, unknown>): R;
  toBeValidTerraform(): R;
  toPlanSuccessfully(): R;
}

declare module 'vitest' {
  // eslint-disable-next-line @typescript-eslint/no-empty-object-type
  interface Assertion<T = any> extends CdktfMatchers<T> {}
}
