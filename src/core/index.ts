// The public library API of the core, used by the CLI and the extension.
export * from './errors';
export * from './ports';
export * from './x509/types';
export * from './project/types';
export * from './project/load';
export * from './targets/ids';
