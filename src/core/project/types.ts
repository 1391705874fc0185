// The project file, `embedded-tls.json` at the workspace root, read by the CLI and the extension alike.
import type { CloudId, TargetId } from '../targets/ids';

export const PROJECT_FILE_NAME = 'embedded-tls.json';

export interface BrokerSettings {
  host: string;
  /** Default 8883. */
  port?: number;
  /** ALPN protocol names, e.g. `["x-amzn-mqtt-ca"]` for AWS IoT on port 443. */
  alpn?: string[];
  cloud?: CloudId;
  clientId?: string;
  username?: string;
  /** Server name for SNI when it differs from `host` (e.g. when dialling an IP). */
  servername?: string;
  mqttVersion?: 3 | 5;
}

export interface HeaderInput {
  /** Certificate or key file, relative to the project file. */
  file: string;
  /** C identifier; defaults follow `xxd -i` (`certs/ca.der` -> `ca_der`). */
  name?: string;
  format?: 'der' | 'pem';
}

export interface HeaderSettings {
  /** Output header path, relative to the project file. */
  output: string;
  layout?: 'c' | 'freertos' | 'coremqtt' | 'arduino';
  format?: 'der' | 'pem';
  inputs: HeaderInput[];
  /** Further generator options (static, section, alignment, lineWidth, guard, split). */
  options?: Record<string, unknown>;
}

export interface PushFile {
  local: string;
  remote: string;
}

/** A root the last module push left in a Wi-Fi module's store (wifinina-roots, wifi101-roots). */
export interface PushedRoot {
  subject: string;
  /** SHA-256 of the certificate, lowercase hex. */
  sha256: string;
}

export interface PushSettings {
  protocol: 'simplelink-at' | 'linux-shell' | 'etls-frame' | 'wifinina-roots' | 'wifi101-roots';
  /** Serial port path, remembered from the last push. */
  port?: string;
  baud?: number;
  files?: PushFile[];
  /**
   * Written by `etls push` after a verified module-roots push with this profile: what the Wi-Fi module's
   * root store holds now. The check reads it to know a private root was pushed.
   */
  moduleRoots?: PushedRoot[];
}

export interface DeviceProfile {
  target?: TargetId;
  broker?: BrokerSettings;
  /** Paths relative to the project file. */
  ca?: string;
  cert?: string;
  key?: string;
  headers?: HeaderSettings[];
  push?: PushSettings;
}

export interface ProjectFile {
  $schema?: string;
  version?: 1;
  /** Device profiles by name. */
  profiles: Record<string, DeviceProfile>;
  /** Where `etls pki` keeps the development CA. */
  pki?: { dir: string };
}

/** A project file as loaded: its folder, so relative paths can be resolved. */
export interface LoadedProject {
  path: string;
  dir: string;
  file: ProjectFile;
}
