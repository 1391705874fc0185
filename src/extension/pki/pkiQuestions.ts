// The questions of "Create Development PKI…" (extension host): a QuickInput flow whose answers become
// the core's PkiInitOptions, with defaults from the project and the target.
import { networkInterfaces } from 'node:os';
import { join } from 'node:path';
import * as vscode from 'vscode';
import { EtlsError } from '../../core/errors';
import {
  checkDeviceId,
  checkHost,
  ipBytes,
  splitList,
  defaultKeyContainer,
  defaultKeyType,
  keyTypeLabel,
  keyTypes,
  keyTypeWarnings,
  type KeyType,
  type PkiInitOptions,
} from '../../core/pki';
import type { TargetId } from '../../core/targets/ids';
import { pickStep, runSteps, textStep } from './multiStepInput';

const TITLE = 'Create Development PKI';

/** What the wizard knows before asking: the folder, the project and what its profile says. */
export interface ProjectContext {
  folder?: vscode.WorkspaceFolder;
  projectPath?: string;
  target?: TargetId;
  brokerHost?: string;
  pkiDir?: string;
}

const list = splitList;

export function validateAll(values: string[], check: (v: string) => void): string | undefined {
  for (const v of values) {
    try {
      check(v);
    } catch (e) {
      return e instanceof EtlsError ? e.message : String(e);
    }
  }
  return undefined;
}

function lanAddresses(): string[] {
  return Object.values(networkInterfaces())
    .flat()
    .filter((a): a is NonNullable<typeof a> => !!a && a.family === 'IPv4' && !a.internal)
    .map((a) => a.address);
}

export async function browseFolder(): Promise<string | undefined> {
  const picked = await vscode.window.showOpenDialog({
    canSelectFolders: true,
    canSelectFiles: false,
    canSelectMany: false,
    openLabel: 'Use This Folder',
  });
  return picked?.[0]?.fsPath;
}

export function keyTypeItems(target?: TargetId) {
  const def = defaultKeyType(target);
  return keyTypes.map((t) => ({
    label: keyTypeLabel(t),
    value: t,
    description: t === def ? (target ? `default for ${target}` : 'default') : '',
    detail: keyTypeWarnings(t, target)[0] ?? '',
  }));
}

export async function askPkiOptions(ctx: ProjectContext): Promise<PkiInitOptions | undefined> {
  const base = ctx.folder?.uri.fsPath ?? '';
  const state = {
    hosts: ctx.brokerHost ?? 'broker.local',
    ips: ['127.0.0.1', ...lanAddresses()].join(', '),
    devices: 'device-01',
    keyType: defaultKeyType(ctx.target) as KeyType,
    intermediate: false,
    days: '825',
    out: ctx.pkiDir ?? (base ? join(base, 'pki') : ''),
  };
  const total = 7;
  const ok = await runSteps([
    async () => {
      const v = await textStep({
        title: TITLE,
        step: 1,
        totalSteps: total,
        prompt:
          'Broker names or addresses devices dial (comma-separated; the first is the CN; addresses become IP SANs)',
        value: state.hosts,
        validate: (x) => (list(x).length ? validateAll(list(x), checkHost) : 'Give at least one name'),
      });
      if (typeof v === 'string' && v !== 'back') state.hosts = v;
      return v;
    },
    async () => {
      const v = await textStep({
        title: TITLE,
        step: 2,
        totalSteps: total,
        prompt: 'Broker IP addresses devices may dial instead (comma-separated, may be empty)',
        value: state.ips,
        validate: (x) => validateAll(list(x), (ip) => ipBytes(ip)),
      });
      if (typeof v === 'string' && v !== 'back') state.ips = v;
      return v;
    },
    async () => {
      const v = await textStep({
        title: TITLE,
        step: 3,
        totalSteps: total,
        prompt: 'Device ids: each gets a certificate with CN = id (comma-separated)',
        value: state.devices,
        validate: (x) => (list(x).length ? validateAll(list(x), checkDeviceId) : 'Name at least one device'),
      });
      if (typeof v === 'string' && v !== 'back') state.devices = v;
      return v;
    },
    async () => {
      const v = await pickStep<KeyType>({
        title: TITLE,
        step: 4,
        totalSteps: total,
        placeholder: 'Key type for the CA, the broker and the devices',
        items: keyTypeItems(ctx.target),
        active: state.keyType,
      });
      if (v && v !== 'back') state.keyType = v;
      return v;
    },
    async () => {
      const v = await pickStep<boolean>({
        title: TITLE,
        step: 5,
        totalSteps: total,
        placeholder: 'Who signs the broker and device certificates?',
        items: [
          { label: 'The root CA', value: false, description: 'simplest: devices trust ca.pem' },
          {
            label: 'An intermediate CA below the root',
            value: true,
            description: 'like production PKIs; the broker gets the chain',
          },
        ],
        active: state.intermediate,
      });
      if (v !== undefined && v !== 'back') state.intermediate = v;
      return v;
    },
    async () => {
      const v = await textStep({
        title: TITLE,
        step: 6,
        totalSteps: total,
        prompt: 'Validity of broker and device certificates, in days (the CA gets 3650)',
        value: state.days,
        validate: (x) =>
          /^\d+$/.test(x) && +x >= 1 && +x <= 36500 ? undefined : 'A whole number of days, 1-36500',
      });
      if (typeof v === 'string' && v !== 'back') state.days = v;
      return v;
    },
    async () => {
      const v = await textStep({
        title: TITLE,
        step: 7,
        totalSteps: total,
        prompt: 'Output folder',
        value: state.out,
        validate: (x) => (x.trim() ? undefined : 'Choose a folder'),
        extraButton: { icon: 'folder-opened', tooltip: 'Browse…', run: browseFolder },
      });
      if (typeof v === 'string' && v !== 'back') state.out = v;
      return v;
    },
  ]);
  if (!ok) return undefined;

  const outDir =
    base && !state.out.startsWith('/') && !/^[A-Za-z]:/.test(state.out) ? join(base, state.out) : state.out;
  return {
    outDir,
    brokerHosts: list(state.hosts),
    brokerIps: list(state.ips),
    devices: list(state.devices),
    keyType: state.keyType,
    keyContainer: defaultKeyContainer(ctx.target),
    days: Number(state.days),
    intermediate: state.intermediate,
  };
}
