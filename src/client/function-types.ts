import type { SchemaType } from './json-schema-type.js';
import type { HttpMethod } from '../contract/functions-contract.js';
export type { FunctionShape, FunctionsContract } from '../contract/functions-contract.js';

/**
 * The HTTP methods a function may take (the FunctionsApp config's `HttpMethod`, from the contract both read).
 *
 * @example
 * ```ts
 * const method: FunctionMethod = 'POST';
 * ```
 */
export type FunctionMethod = HttpMethod;

type ParamName<P extends string> = P extends `*${infer R}`
  ? ParamName<R>
  : P extends `${infer N}:${string}`
    ? ParamName<N>
    : P extends `${infer N}?`
      ? N
      : P;
type AllParams<R extends string> = R extends `${string}{${infer P}}${infer Rest}`
  ? P | AllParams<Rest>
  : never;
type Optional<P extends string> = P extends `${string}?` ? P : P extends `*${string}` ? P : never;

/**
 * The `params` a route template takes: `'orders/{id}'` → `{ id: string | number }`; `{id?}` and `{*rest}` are
 * optional, constraints (`{id:int}`) are dropped. A route without parameters takes none.
 *
 * @example
 * ```ts
 * const p: RouteParams<'orders/{id:int}/lines/{line?}'> = { id: 42 }; // line optional
 * ```
 */
export type RouteParams<R extends string> = {
  [K in AllParams<R> as K extends Optional<K> ? never : ParamName<K>]: string | number;
} & { [K in AllParams<R> as K extends Optional<K> ? ParamName<K> : never]?: string | number };

type RouteOf<D, N> = D extends { readonly route: infer R extends string } ? R : N & string;
type MethodsOf<D> = D extends { readonly methods: readonly (infer M extends string)[] }
  ? M
  : 'GET' | 'POST';

/**
 * Options of a function call: `method` (default the function's first declared method; without `methods`,
 * POST with a body, GET without), `params` for the route's `{…}` parameters, `query`, `headers`, `signal`.
 *
 * @example
 * ```ts
 * const options: FunctionCallOptions<'GET' | 'DELETE', { id: string }> = { params: { id: '42' }, method: 'DELETE' };
 * ```
 */
export interface FunctionCallOptions<
  M extends string = FunctionMethod,
  P = Record<string, string | number>,
> {
  readonly method?: M;
  readonly params?: P;
  readonly query?: Readonly<Record<string, string | undefined>>;
  readonly headers?: Readonly<Record<string, string | undefined>>;
  readonly signal?: AbortSignal;
}

type HasRequired<T> = {} extends T ? false : true;
type OptionsOf<D, N> = FunctionCallOptions<MethodsOf<D>, RouteParams<RouteOf<D, N>>>;

/**
 * One HTTP function as a call: `(body, options) => Promise<response>`. The body is the `requestSchema`'s type
 * (optional without a schema, `unknown` then), the response the `responseSchema`'s (`unknown` without one);
 * `options.params` is required when the route has required parameters.
 *
 * @example
 * ```ts
 * type Submit = FunctionCall<{ trigger: 'http'; methods: ['POST']; requestSchema: { type: 'string' } }, 'submit'>;
 * // (body: string, options?: FunctionCallOptions<'POST', {}>) => Promise<unknown>
 * ```
 */
export type FunctionCall<D, N = string> = D extends { readonly requestSchema: infer Q }
  ? (body: SchemaType<Q>, ...options: OptionArgs<D, N>) => Promise<ResponseOf<D>>
  : (body?: unknown, ...options: OptionArgs<D, N>) => Promise<ResponseOf<D>>;

type ResponseOf<D> = D extends { readonly responseSchema: infer R } ? SchemaType<R> : unknown;
type OptionArgs<D, N> =
  HasRequired<RouteParams<RouteOf<D, N>>> extends true
    ? [options: OptionsOf<D, N> & { readonly params: RouteParams<RouteOf<D, N>> }]
    : [options?: OptionsOf<D, N>];

type HttpNames<F> = {
  [N in keyof F]-?: F[N] extends { readonly trigger: 'http' } ? N : never;
}[keyof F] &
  string;

/**
 * A FunctionsApp key's client: one call per HTTP function, by function name.
 *
 * @example
 * ```ts
 * type Orders = FunctionsClient<{ submit: { trigger: 'http'; methods: ['POST'] }; nightly: { trigger: 'timer' } }>;
 * // { readonly submit: (body?: unknown, options?) => Promise<unknown> }: timer functions are not calls
 * ```
 */
export type FunctionsClient<F> = { readonly [N in HttpNames<F>]: FunctionCall<F[N], N> };
