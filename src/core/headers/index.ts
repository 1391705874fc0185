// C headers from certificates and keys: generation, stale detection and the project's headers.
export * from './spec';
export * from './identifiers';
export * from './hexArray';
export * from './sources';
export * from './summary';
export * from './entries';
export * from './render';
export * from './args';
export * from './generate';
export * from './manifest';
export * from './project';
export * from './stale';
export * from './suggest';
