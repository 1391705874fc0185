import type { CliCommand } from '../command';
export const inspectCommand: CliCommand = { name: 'inspect', summary: 'decode certificates and keys', usage: 'etls inspect FILE... [--json]', run: async () => 0 };
