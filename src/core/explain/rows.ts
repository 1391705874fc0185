// The shape of a catalog table written by hand from a library's headers or docs.
import type { AdviceKind } from './advice';

/** Code, symbolic name, meaning, and the kind that supplies the causes and the fix. */
export type Row = [code: number, name: string, meaning: string, kind: AdviceKind];

export interface HandTable {
  library: string;
  versions: string;
  /** Where the rows come from. */
  source: string;
  rows: Row[];
}
