// Board error codes and log lines explained: the catalog, the line recognisers and the monitor's annotator.
export { advice, probeKinds, type Advice, type AdviceKind } from './advice';
export {
  catalog,
  catalogSources,
  displayCode,
  libraryIds,
  type CatalogEntry,
  type LibraryId,
} from './catalog';
export {
  explain,
  adviceForProbe,
  explainTargets,
  formatExplanation,
  type ExplainResult,
  type Explanation,
} from './explain';
export { recognise, type Finding } from './recognise';
