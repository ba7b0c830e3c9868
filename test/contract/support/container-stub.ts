import type { Container } from '@azure/cosmos';

/** A container no test here calls: createCrudHandlers only keeps it (the method table is what is compared). */
export const ContainerStub = {} as Container;
