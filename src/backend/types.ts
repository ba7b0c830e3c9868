import type { AnyDefinition, ComponentHandle, HandleOf } from '../model/component.js';
import type { BackendConfig } from '../model/config.js';

/** A misuse shown as a type error at the call, in tRPC's manner. */
export interface TypeError<TMessage extends string> {
  readonly __typeError: TMessage;
}

/** Handles by key. */
export type HandleMap = { readonly [key: string]: ComponentHandle };

/** What the object form accepts: config keys with their types, anything else a component definition. */
export type BackendInput<T> = { readonly [K in keyof T]: K extends keyof BackendConfig ? BackendConfig[K] : AnyDefinition };

/** The handles of an object-form input: definition-valued keys only. */
export type ComponentsOf<T> = { readonly [K in keyof T as T[K] extends AnyDefinition ? K : never]: HandleOf<T[K]> };

export type HasDefinitions<T> = [keyof ComponentsOf<T>] extends [never] ? false : true;

/** Error type when a key is already taken. */
export type NotTaken<T, K extends PropertyKey> = K extends keyof T ? TypeError<`Component "${K & string}" already added`> : unknown;

/** Flatten an intersection for readable hovers. */
export type Simplify<T> = { [K in keyof T]: T[K] } & {};
