/**
 * A FunctionsApp's function configs as a type, carried by its handle (`FunctionsAppHandle`'s phantom
 * `__functions`) for `createClient<typeof backend>()`.
 *
 * @example
 * ```ts
 * type F = NonNullable<(typeof backend)['components']['orders']['__functions']>; // FunctionsContract<{ submit: { trigger: 'http', … } }>
 * ```
 */
// The parameter is phantom on purpose (as CrudContract's): handles of different functions stay the same type to
// tsd's identity check (`expectType<FunctionsAppHandle>(handle)`), while `infer` still reads it from the reference.
// eslint-disable-next-line @typescript-eslint/no-unused-vars
export interface FunctionsContract<TFunctions> {
  readonly componentType?: 'FunctionsApp';
}
