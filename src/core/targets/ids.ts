// The boards and clouds the project knows. The catalog in this folder says what each accepts.

export const targetIds = [
  'cc3200',
  'cc3220',
  'cc3235',
  'cc3100',
  'esp32',
  'esp8266',
  'wifinina',
  'winc1500',
  'linux',
] as const;
export type TargetId = (typeof targetIds)[number];

export const cloudIds = ['aws-iot', 'azure-iot-hub', 'mosquitto', 'generic'] as const;
export type CloudId = (typeof cloudIds)[number];

export function isTargetId(s: string): s is TargetId {
  return (targetIds as readonly string[]).includes(s);
}
