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

/**
 * The HTTP methods a function may take (default `['GET', 'POST']`).
 *
 * @example
 * ```ts
 * const method: HttpMethod = 'POST';
 * ```
 */
export type HttpMethod = 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE' | 'HEAD' | 'OPTIONS';

/**
 * What the client and the OpenAPI document read of one function's config: its trigger, route, methods and schemas.
 * A FunctionsApp's `FunctionDefinition` extends it, so its `functions` object fits `createClient({ functions })`
 * as is.
 *
 * @example
 * ```ts
 * const shape: FunctionShape = { trigger: 'http', route: 'orders/{id}', methods: ['GET', 'DELETE'] };
 * ```
 */
export interface FunctionShape {
  readonly trigger: string;
  readonly route?: string;
  /** HTTP only. Default `['GET', 'POST']`. */
  readonly methods?: readonly HttpMethod[];
  readonly requestSchema?: unknown;
  readonly responseSchema?: unknown;
}
