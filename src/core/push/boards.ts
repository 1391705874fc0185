// Names the board behind a serial port from its USB VID:PID, and suggests the push protocol it likely speaks.
import type { PushProtocol } from './types';

/** A serial port as the host lists it. */
export interface SerialPortInfo {
  path: string;
  manufacturer?: string;
  serialNumber?: string;
  vendorId?: string;
  productId?: string;
  pnpId?: string;
}

export interface BoardGuess {
  /** e.g. "TI XDS110 (CC3220/CC3235 LaunchPad)". */
  name: string;
  /** The protocol to offer first, when the bridge tells us enough. */
  protocol?: PushProtocol;
  /** Where the guess comes from, for the quick pick detail. */
  reason: string;
}

export interface IdentifiedPort extends SerialPortInfo {
  board?: BoardGuess;
}

interface Rule {
  vid: string;
  pid?: (pid: string) => boolean;
  name: string;
  protocol?: PushProtocol;
}

const rules: Rule[] = [
  {
    vid: '0451',
    pid: (p) => p === 'bef3' || p === 'bef4',
    name: 'TI XDS110 (CC3220/CC3235 LaunchPad)',
    protocol: 'simplelink-at',
  },
  { vid: '0451', pid: (p) => p === 'c32a', name: 'TI CC3200 LaunchPad (FTDI)', protocol: 'etls-frame' },
  { vid: '0451', name: 'Texas Instruments USB device' },
  // Arduino SAMD boards with a Wi-Fi module: the root store is pushed through the FirmwareUpdater sketch.
  {
    vid: '2341',
    pid: (p) => p === '8057',
    name: 'Arduino Nano 33 IoT (WiFiNINA)',
    protocol: 'wifinina-roots',
  },
  {
    vid: '2341',
    pid: (p) => p === '8054',
    name: 'Arduino MKR WiFi 1010 (WiFiNINA)',
    protocol: 'wifinina-roots',
  },
  {
    vid: '2341',
    pid: (p) => p === '804e',
    name: 'Arduino MKR1000 (WiFi101, ATWINC1500)',
    protocol: 'wifi101-roots',
  },
  { vid: '2341', name: 'Arduino board' },
  { vid: '2a03', name: 'Arduino board (arduino.org)' },
  { vid: '303a', name: 'Espressif ESP32 (native USB)', protocol: 'etls-frame' },
  {
    vid: '10c4',
    pid: (p) => p.startsWith('ea6'),
    name: 'Silicon Labs CP210x bridge (ESP32 DevKit and many boards)',
    protocol: 'etls-frame',
  },
  { vid: '1a86', name: 'WCH CH340/CH9102 bridge (ESP32/ESP8266 boards)', protocol: 'etls-frame' },
  { vid: '0403', name: 'FTDI bridge (many boards, Linux consoles)' },
  { vid: '067b', name: 'Prolific PL2303 bridge (USB-serial cable)', protocol: 'linux-shell' },
  { vid: '1366', name: 'SEGGER J-Link virtual COM port' },
  { vid: '0d28', name: 'Arm DAPLink / mbed virtual COM port' },
  { vid: '2e8a', name: 'Raspberry Pi RP2040/RP2350 (USB)' },
];

function hex4(v: string | undefined): string | undefined {
  if (!v) return undefined;
  const s = v.toLowerCase().replace(/^0x/, '');
  return /^[0-9a-f]{1,4}$/.test(s) ? s.padStart(4, '0') : undefined;
}

/** The board behind a port, or undefined when its VID:PID is unknown (or missing, as for a pty). */
export function identifyBoard(port: SerialPortInfo): BoardGuess | undefined {
  const vid = hex4(port.vendorId);
  const pid = hex4(port.productId) ?? '';
  if (!vid) return undefined;
  const rule = rules.find((r) => r.vid === vid && (!r.pid || r.pid(pid)));
  if (!rule) return undefined;
  return {
    name: rule.name,
    reason: `USB ${vid}:${pid || '????'}`,
    ...(rule.protocol ? { protocol: rule.protocol } : {}),
  };
}

/** Known boards first, then by path, so the likely choice is on top of the list. */
export function identifyPorts(ports: SerialPortInfo[]): IdentifiedPort[] {
  return ports
    .map((p): IdentifiedPort => {
      const board = identifyBoard(p);
      return board ? { ...p, board } : { ...p };
    })
    .sort(
      (a, b) => Number(!a.board) - Number(!b.board) || a.path.localeCompare(b.path, 'en', { numeric: true }),
    );
}

/** One line for a terminal or a quick pick: "/dev/ttyACM0  TI XDS110 (...)  [USB 0451:bef3]". */
export function describePort(p: IdentifiedPort): string {
  const what = p.board?.name ?? p.manufacturer ?? 'unknown device';
  return `${p.path}  ${what}${p.board ? `  [${p.board.reason}]` : ''}`;
}
