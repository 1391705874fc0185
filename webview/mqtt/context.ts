// What the panel's sections share with main.ts: the local UI state and the actions that talk to the host.
import type { ConnectionForm, LogEntry, PanelRequest, PayloadFormat, QoS } from '../../src/shared/protocol';

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
  /** The selected message's payload, asked of the host when it was selected (not saved). */
  selectedEntry?: LogEntry;
  sequenceField: string;
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
  /** What the template needs of FeedView (kept structural: this file is also loaded by Node tests). */
  feed: { list: { setFilter(filter: string): void }; paused: boolean };
  /** Empties the list at once and asks the host to clear its history. */
  clear(): void;
  pause(paused: boolean): void;
  setSequenceField(field: string): void;
}

/** Filled in by main.ts before the first draw. */
export const ctx = {} as PanelContext;
