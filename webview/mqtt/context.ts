// What the panel's sections share with main.ts: the local UI state and the actions that talk to the host.
import type { ConnectionForm, PanelRequest, PayloadFormat, QoS } from '../../src/shared/protocol';

export interface LocalUi {
  password: string;
  passphrase: string;
  profileName: string;
  subTopic: string;
  subQos: QoS;
  pubTopic: string;
  pubPayload: string;
  pubFormat: PayloadFormat;
  pubQos: QoS;
  pubRetain: boolean;
  filter: string;
  selected?: number;
  viewer: PayloadFormat;
  error?: string;
}

export interface PanelContext {
  ui: LocalUi;
  send(request: PanelRequest): void;
  editForm(patch: Partial<ConnectionForm>): void;
  draw(): void;
  connect(): void;
  publish(): void;
}

/** Filled in by main.ts before the first draw. */
export const ctx = {} as PanelContext;
