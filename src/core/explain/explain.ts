// `explain`: a code or a log line in, the ranked meanings out, each with the causes, the fix and the etls
// run that tells the causes apart.
import { advice, probeKinds, type Advice, type AdviceKind } from './advice';
import { displayCode, type CatalogEntry, type LibraryId } from './catalog';
import { lookUp, recognise } from './recognise';
import { diagnosisCodes, type DiagnosisCode } from '../mqtt/types';

export interface Explanation {
  library: LibraryId;
  /** As the library prints it: -0x2700, 0x8008, -457, 62. */
  code: string;
  name: string;
  meaning: string;
  causes: string[];
  fix: string;
  /** The etls check rule or probe run that tells which cause it is. */
  diagnose: string[];
  versions: string;
  kind: AdviceKind;
  /** How the line looks from the board's side, when it came from the broker. */
  note?: string;
}

export interface ExplainResult {
  input: string;
  /** The recogniser that matched, e.g. "esp-idf log"; undefined when nothing did. */
  via?: string;
  /** Best first. Empty means not recognised. */
  explanations: Explanation[];
}

/** The libraries each target's firmware usually runs, most likely first. */
const targetLibraries: Record<string, LibraryId[]> = {
  esp32: ['esp-tls', 'mbedtls', 'pubsubclient', 'arduinomqttclient', 'coremqtt', 'mqtt'],
  esp8266: ['bearssl', 'pubsubclient', 'arduinomqttclient', 'mqtt'],
  cc3200: ['simplelink', 'mqtt'],
  cc3220: ['simplelink', 'mqtt'],
  cc3235: ['simplelink', 'mqtt'],
  cc3100: ['simplelink', 'mqtt'],
  wifinina: ['arduinomqttclient', 'pubsubclient', 'mqtt'],
  winc1500: ['arduinomqttclient', 'pubsubclient', 'mqtt'],
  linux: ['openssl', 'mosquitto', 'mbedtls', 'wolfssl', 'coremqtt', 'mqtt', 'mqtt5'],
  mbedtls: ['mbedtls'],
  bearssl: ['bearssl'],
  wolfssl: ['wolfssl'],
};

export const explainTargets = Object.keys(targetLibraries);

const mqttClients: LibraryId[] = ['pubsubclient', 'arduinomqttclient', 'coremqtt', 'mqtt'];

/** A status that says all is well (MQTT_CONNECTED, MQTTSuccess, Connection Accepted): nothing to explain. */
export function isSuccess(x: Pick<Explanation, 'code' | 'kind'>): boolean {
  return x.kind === 'other' && (x.code === '0' || x.code === '0x0');
}

function toExplanation(e: CatalogEntry, kind: AdviceKind = e.kind, note?: string): Explanation {
  const a = advice[kind];
  return {
    library: e.library,
    code: displayCode(e),
    name: e.name,
    meaning: e.meaning,
    causes: a.causes,
    fix: a.fix,
    diagnose: a.diagnose,
    versions: e.versions,
    kind,
    ...(note ? { note } : {}),
  };
}

/** Explains one code or log line. `target` (a board id or a library) ranks ambiguous numbers. */
export function explain(input: string, target?: string): ExplainResult {
  const probeCode = diagnosisCodes.find((c) => c === input.trim());
  if (probeCode) return { input, via: 'etls probe diagnosis', explanations: [explainProbe(probeCode)] };
  const preferred = (target && targetLibraries[target.toLowerCase()]) || [];
  const out: Explanation[] = [];
  let via: string | undefined;
  for (const f of recognise(input)) {
    let libs = f.libraries;
    if (preferred.length && libs.length > 1) {
      const rank = (l: LibraryId) =>
        preferred.includes(l) ? preferred.indexOf(l) : preferred.length + libs.indexOf(l);
      // A one-digit code on a board is an MQTT client's state far more often than a low-level mbedTLS code.
      const mqttFirst = f.code !== undefined && Math.abs(f.code) < 10;
      const weight = (l: LibraryId) => rank(l) - (mqttFirst && mqttClients.includes(l) ? 100 : 0);
      libs = [...libs].sort((a, b) => weight(a) - weight(b));
      // A target that names its libraries narrows a bare number to them when one of them knows it.
      const narrowed = lookUp({ ...f, libraries: libs.filter((l) => preferred.includes(l)) });
      if (narrowed.length) libs = libs.filter((l) => preferred.includes(l));
    }
    const entries = lookUp({ ...f, libraries: libs });
    if (!entries.length) continue;
    via ??= f.via;
    for (const e of entries) out.push(toExplanation(e, f.kind ?? e.kind, f.note));
  }
  const seen = new Set<string>();
  const unique = out.filter((x) => {
    const k = `${x.library}:${x.code}:${x.name}`;
    if (seen.has(k)) return false;
    seen.add(k);
    return true;
  });
  return { input, ...(via ? { via } : {}), explanations: unique };
}

/** One of the probe's own diagnosis codes as an explanation, with the same causes, fix and runs as the catalog's. */
export function explainProbe(code: DiagnosisCode): Explanation {
  const kind = probeKinds[code];
  return {
    library: 'etls-probe',
    code,
    name: code,
    meaning: `etls probe diagnosis "${code}"`,
    causes: advice[kind].causes,
    fix: advice[kind].fix,
    diagnose: advice[kind].diagnose,
    versions: '',
    kind,
  };
}

/** The advice for one of the probe's own diagnosis codes: the same causes, fix and runs as the catalog's. */
export function adviceForProbe(code: DiagnosisCode): Advice {
  return advice[probeKinds[code]];
}

/** A few plain lines for a terminal, marked so they stand apart from the board's output. */
export function formatExplanation(x: Explanation, mark = '  ⮡ etls:'): string {
  const lines = [`${mark} ${x.library} ${x.code} ${x.name}: ${x.meaning}`];
  if (x.note) lines.push(`${mark}   ${x.note}`);
  if (x.causes.length && x.kind !== 'other') lines.push(`${mark}   likely: ${x.causes[0]}`);
  lines.push(`${mark}   fix: ${x.fix}`);
  if (x.diagnose.length) lines.push(`${mark}   tell which: ${x.diagnose[0]}`);
  return lines.join('\n') + '\n';
}
