/**
 * The TypeScript type a JSON Schema describes, for schemas written as literals (`as const`, or inline in
 * `FunctionsApp.define`, whose config keeps literal types). Deliberately small: `type` (`string`, `number`,
 * `integer`, `boolean`, `null`, `object`, `array`, or a list of them), `properties` + `required`, `items`,
 * `enum` and `const`. Anything else — `$ref`, `oneOf`, `allOf`, formats, a schema whose type is only known as
 * `string` — maps to `unknown`, so a schema never promises more than it says. An object without `properties`
 * is `{ [key: string]: unknown }`.
 *
 * @example
 * ```ts
 * type Order = SchemaType<{
 *   type: 'object';
 *   required: ['sku'];
 *   properties: { sku: { type: 'string' }; qty: { type: 'integer' } };
 * }>;
 * // { sku: string; qty?: number }
 * ```
 */
export type SchemaType<S> = S extends { readonly const: infer C }
  ? C
  : S extends { readonly enum: readonly (infer E)[] }
    ? E
    : S extends { readonly type: infer T }
      ? T extends readonly (infer U)[]
        ? TypeOf<U, S>
        : TypeOf<T, S>
      : unknown;

type TypeOf<T, S> = string extends T
  ? unknown
  : T extends 'string'
    ? string
    : T extends 'number' | 'integer'
      ? number
      : T extends 'boolean'
        ? boolean
        : T extends 'null'
          ? null
          : T extends 'array'
            ? S extends { readonly items: infer I }
              ? SchemaType<I>[]
              : unknown[]
            : T extends 'object'
              ? ObjectOf<S>
              : unknown;

type RequiredOf<S> = S extends { readonly required: readonly (infer R)[] } ? R : never;

type ObjectOf<S> = S extends { readonly properties: infer P }
  ? Flat<
      { -readonly [K in keyof P as K extends RequiredOf<S> ? K : never]: SchemaType<P[K]> } & {
        -readonly [K in keyof P as K extends RequiredOf<S> ? never : K]?: SchemaType<P[K]>;
      }
    >
  : { [key: string]: unknown };

type Flat<T> = { [K in keyof T]: T[K] } & {};
