// Saved MQTT connection profiles (workspace state) with their password and pass phrase in SecretStorage,
// plus the device profiles of embedded-tls.json turned into connection forms.
import * as vscode from 'vscode';
import type { DeviceProfile } from '../../core/project/types';
import { defaultForm, type ConnectionForm } from '../../shared/protocol';

const PROFILES_KEY = 'embeddedTls.mqtt.profiles';
const FORM_KEY = 'embeddedTls.mqtt.form';
/** The secrets of the form being edited, before (or without) a profile name. */
export const CURRENT = '\u0000current';

export class MqttProfiles {
  constructor(private readonly context: vscode.ExtensionContext) {}

  saved(): Record<string, ConnectionForm> {
    return this.context.workspaceState.get<Record<string, ConnectionForm>>(PROFILES_KEY, {});
  }

  async save(
    name: string,
    form: ConnectionForm,
    secrets: { password?: string; passphrase?: string },
  ): Promise<void> {
    await this.context.workspaceState.update(PROFILES_KEY, { ...this.saved(), [name]: form });
    if (secrets.password !== undefined) await this.setSecret('password', name, secrets.password);
    if (secrets.passphrase !== undefined) await this.setSecret('passphrase', name, secrets.passphrase);
  }

  async remove(name: string): Promise<void> {
    const all = { ...this.saved() };
    delete all[name];
    await this.context.workspaceState.update(PROFILES_KEY, all);
    await this.context.secrets.delete(this.secretKey('password', name));
    await this.context.secrets.delete(this.secretKey('passphrase', name));
  }

  lastForm(): ConnectionForm {
    return { ...defaultForm, ...this.context.workspaceState.get<Partial<ConnectionForm>>(FORM_KEY, {}) };
  }

  async rememberForm(form: ConnectionForm): Promise<void> {
    await this.context.workspaceState.update(FORM_KEY, form);
  }

  private secretKey(kind: 'password' | 'passphrase', profile: string): string {
    const folder = vscode.workspace.workspaceFolders?.[0]?.uri.toString() ?? '';
    return `embeddedTls.mqtt.${kind}:${folder}:${profile}`;
  }

  getSecret(kind: 'password' | 'passphrase', profile: string): Thenable<string | undefined> {
    return this.context.secrets.get(this.secretKey(kind, profile));
  }

  async setSecret(kind: 'password' | 'passphrase', profile: string, value: string): Promise<void> {
    if (value === '') await this.context.secrets.delete(this.secretKey(kind, profile));
    else await this.context.secrets.store(this.secretKey(kind, profile), value);
  }

  /** Copies a profile's secrets to the current form's slots when the profile is loaded. */
  async loadSecrets(profile: string): Promise<void> {
    for (const kind of ['password', 'passphrase'] as const)
      await this.setSecret(kind, CURRENT, (await this.getSecret(kind, profile)) ?? '');
  }
}

export function formFromDeviceProfile(
  name: string,
  p: DeviceProfile,
  base: ConnectionForm = defaultForm,
  /** Turns a project-relative file path into the form's (relative to the panel's folder). */
  path: (projectRelative: string | undefined) => string = (x) => x ?? '',
): ConnectionForm {
  const b = p.broker;
  return {
    ...base,
    host: b?.host ?? base.host,
    port: b?.port ?? 8883,
    mqttVersion: b?.mqttVersion ?? 3,
    clientId: b?.clientId ?? name,
    username: b?.username ?? '',
    servername: b?.servername ?? '',
    alpn: (b?.alpn ?? []).join(','),
    caFile: path(p.ca),
    certFile: path(p.cert),
    keyFile: path(p.key),
    target: p.target ?? '',
    rejectUnauthorized: true,
  };
}
