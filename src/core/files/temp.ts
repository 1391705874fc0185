// The name of the temporary file a write goes through. One pattern, listed in the .gitignore etls
// writes, so a write killed half way never leaves a key where `git add .` would pick it up.

/** What every temporary file of ours ends with; `*.etls-tmp` is the .gitignore line. */
export const TEMP_SUFFIX = '.etls-tmp';

/** The .gitignore line that covers the temporary files. */
export const TEMP_IGNORE_PATTERN = `*${TEMP_SUFFIX}`;

/** `.NAME.<12 hex>.etls-tmp`, and the `.NAME.<12 hex>.tmp` of earlier versions. */
const OURS = /^\..+\.[0-9a-f]{12}\.(?:etls-tmp|tmp)$/;

/** The temporary name for a target file name, with a random part the caller supplies. */
export function tempNameFor(fileName: string, randomHex: string): string {
  return `.${fileName}.${randomHex}${TEMP_SUFFIX}`;
}

/** True for a name our writes give their temporary files (and nothing else). */
export function isOurTempName(fileName: string): boolean {
  return OURS.test(fileName);
}
