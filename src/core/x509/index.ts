// The certificate model's public API.
export * from './types';
export { readObjects, decodeDerAs, DEFAULT_MAX_BYTES } from './reader';
export {
  describeObject,
  objectReport,
  expiryPhrase,
  whereFound,
  isoDate,
  wholeDays,
  colonHex,
  certificateRows,
} from './describe';
export { parsePemBlocks, toPem, type PemBlock } from './pem';
export { classifyDer, DER_KIND_NAMES, type DerKind } from './detect';
export { nameLabel, escapeRfc4514, nameKey, sameName } from './names';
export { keyLabel, sha256Hex } from './publicKey';
export { scanCSource, lineIndex, type EmbeddedCandidate } from './cSource';
export { ENCRYPTED_KEY_MESSAGE, ENCRYPTED_KEY_FIX, encryptedKeyFailure } from './privateKey';
export { certificateSignedBy } from './signature';
export {
  DEFAULT_KDF_LIMITS,
  UNLIMITED_KDF,
  SCRYPT_MAX_MEMORY,
  kdfLimitsFrom,
  withKdfBudget,
  type KdfLimits,
} from './kdf';
