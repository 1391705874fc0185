// SimpleLink error numbers (TI errors.h) explained for a firmware developer, with the fix where one exists.
import { EtlsError } from '../errors';

interface Explanation {
  meaning: string;
  fix?: string;
}

const known: Record<number, Explanation> = {
  [-453]: {
    meaning: 'the TLS connection was made without verifying the server (no CA file was given)',
    fix: 'Name the root CA file in the connection settings (the <CA> field of AT+MqttCreate)',
  },
  [-456]: {
    meaning: 'the CA file on the board is bad: wrong format or corrupt',
    fix: 'Push the root CA again as DER (etls push converts PEM to DER for simplelink-at)',
  },
  [-457]: {
    meaning: 'the certificate file on the board is bad: wrong format or corrupt',
    fix: 'Push the device certificate again as DER; check it with `etls inspect`',
  },
  [-458]: {
    meaning:
      'the private key file on the board is bad: wrong format, encrypted, or not the key of the certificate',
    fix: 'Push the key unencrypted as DER PKCS#1 (etls push converts it) and check it matches the certificate',
  },
  [-461]: {
    meaning: "the server certificate's dates do not cover the board's clock (the clock is probably unset)",
    fix: 'Set the board time (AT+Set=general,time,...) or use SNTP before connecting',
  },
  [-468]: {
    meaning: 'the connection worked, but the root CA is not in the trusted certificate catalog',
    fix: 'Update the service pack and certificate catalog with Uniflash, or use the playground catalog for development',
  },
  [-688]: {
    meaning: 'no signer: the CA file does not sign the server certificate (wrong root CA)',
    fix: "Push the root CA that issued the broker's certificate (e.g. Amazon Root CA 1 for AWS IoT)",
  },
  [-10287]: {
    meaning:
      "the file was closed as signed, but its certificate chain's root is not in the trusted catalog (FS_ERR_ROOT_CA_IS_UNKOWN)",
    fix: 'Use certificates that chain to a catalog root, or the playground catalog with the dummy certificates for development',
  },
  [-10289]: {
    meaning: 'the file signature is wrong',
    fix: 'Sign the file with the private key of the certificate named in AT+FileClose, or close it unsigned',
  },
  [-10341]: {
    meaning: 'the file does not exist on the board',
    fix: 'Check the file name (it is case-sensitive)',
  },
};

/** A plain-language explanation of a SimpleLink error number. */
export function explainSimpleLinkError(code: number): Explanation {
  return (
    known[code] ?? {
      meaning: `SimpleLink error ${code}`,
      fix: "Look the number up in TI's errors.h for the SimpleLink SDK on this board",
    }
  );
}

/** A line `ERROR:<class>,<code>` from the AT-command application, as an EtlsError. */
export class SimpleLinkAtError extends EtlsError {
  constructor(
    readonly command: string,
    readonly errorClass: string,
    readonly slCode: number,
  ) {
    const e = explainSimpleLinkError(slCode);
    const where =
      errorClass === 'parse parameters' || errorClass === 'number of parameters'
        ? 'could not read the command (garbled on the line?)'
        : errorClass === 'command not exist'
          ? 'does not know the command (is the AT-command application running?)'
          : 'refused it';
    super('device', `${command}: the board ${where}: ${e.meaning} (${slCode})`, e.fix);
  }

  /** A garbled line is worth sending again; a refusal is not. */
  get retryable(): boolean {
    return this.errorClass === 'parse parameters' || this.errorClass === 'number of parameters';
  }
}

/** Parses `ERROR:<class>,<code>`; undefined when the line is not an error line. */
export function parseErrorLine(line: string): { errorClass: string; code: number } | undefined {
  const m = /^ERROR(?::\s*([^,]*?)\s*(?:,\s*(-?\d+))?)?\s*$/i.exec(line.trim());
  if (!m) return undefined;
  return { errorClass: (m[1] ?? '').toLowerCase(), code: m[2] ? Number(m[2]) : 0 };
}
