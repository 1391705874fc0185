// The development PKI, CSRs and conversions: the public surface used by the CLI and the extension.
export { createDevelopmentPki, checkDeviceId, initPaths, type PkiInitOptions, type PkiResult } from './init';
export { addDevice, loadSigningCa, type AddDeviceOptions } from './device';
export { createCsr, type CsrOptions } from './csr';
export { convertObjects, type ConvertOptions, type ConvertedObject, type ConvertKind } from './convert';
export { importPkcs12, exportPkcs12, type Pkcs12Contents, type Pkcs12ExportOptions } from './pkcs12';
export {
  keyTypes,
  isKeyType,
  keyTypeLabel,
  type KeyType,
  type KeyContainer,
  type KeyFormatName,
} from './keys';
export { defaultKeyType, defaultKeyContainer, keyTypeWarnings } from './targetDefaults';
export { mosquittoConf, rewriteConf, parseConf } from './mosquittoConf';
export { findProjectCa, linkPkiToProject, pickProfile, plannedPkiLink, type PkiLink } from './project';
export { KEY_MODE, type OutputFile } from './files';
export {
  planConversion,
  planPkcs12Export,
  isPkcs12,
  defaultP12Path,
  baseOf,
  type ConvertFileOptions,
  type Pkcs12ExportFiles,
} from './convertFiles';
export { refuseToOverwrite, writeOutputs } from './files';
export { checkDnsName, checkHost, ipBytes, sanEntries, splitList } from './certBuilder';
