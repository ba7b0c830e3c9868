declare const resourceRefBrand: unique symbol;

/**
 * A reference from one component's setting to an attribute of a resource it uses, resolved by the planner
 * once names are known. Its text is the seeds' `${type.attribute}` form, so it fits every string setting and
 * the hand-written form stays accepted input; build it with {@link resourceRef} (or `ref` in
 * `resources/refs.ts`, which checks the attribute against the type) rather than by hand.
 */
export type ResourceRef<T extends string = string, A extends string = string> = `\${${T}.${A}}` & {
  readonly [resourceRefBrand]: 'ResourceRef';
};

/**
 * The one constructor of a reference.
 *
 * @example
 * ```ts
 * resourceRef('cosmos', 'endpoint'); // '${cosmos.endpoint}'
 * ```
 */
export function resourceRef<T extends string, A extends string>(
  type: T,
  attribute: A,
): ResourceRef<T, A> {
  return `\${${type}.${attribute}}` as ResourceRef<T, A>;
}

/**
 * The one parser: replace every reference in a string with what `resolve` gives for it; a reference it
 * cannot resolve (undefined) stays as written.
 *
 * @example
 * ```ts
 * replaceRefs('${keyvault.name};x', (type, attr) => (type === 'keyvault' ? 'kv-app' : undefined)); // 'kv-app;x'
 * ```
 */
export function replaceRefs(
  text: string,
  resolve: (type: string, attribute: string) => string | undefined,
): string {
  return text.replace(
    /\$\{([a-z]+)\.([A-Za-z]+)\}/g,
    (whole, type: string, attribute: string) => resolve(type, attribute) ?? whole,
  );
}

/** Whether a string may hold a reference (cheap pre-check before {@link replaceRefs}). */
export function mayHoldRef(text: string): boolean {
  return text.includes('${');
}
