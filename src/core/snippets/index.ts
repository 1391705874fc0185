// Connection snippets and exports: the last mile from a profile's files to code and tools that connect.
export {
  buildSnippet,
  isSnippetKind,
  snippetKinds,
  snippetKindsFor,
  SNIPPET_KINDS,
  type Snippet,
  type SnippetKind,
  type SnippetOptions,
} from './snippet';
export { nodeRedFlow, type NodeRedExport } from './nodeRed';
