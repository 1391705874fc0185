// The public library API of the core, used by the CLI and the extension.
export * from './errors';
export * from './ports';
export * from './x509';
export * from './project/types';
export * from './project/load';
export * from './targets/ids';
export * from './targets/catalog';
export * from './targets/clouds';
export * from './check';
export * from './push';
