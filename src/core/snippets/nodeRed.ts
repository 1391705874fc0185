// `etls export node-red`: an importable Node-RED flow with a `tls-config` node holding the
// profile's CA, certificate and key paths, and an `mqtt-broker` node that uses it. Property names
// are those of Node-RED's own nodes (core/network/05-tls.html and 10-mqtt.html).
import { createHash } from 'node:crypto';
import { GENERATED_MARKER } from '../files/guard';
import type { FileSystemPort } from '../ports';
import type { LoadedProject } from '../project/types';
import { pemFile, requireFiles, snippetContext, type FileRole, type ProfileFile } from './context';

/** Node-RED ids are 16 hex digits; derived from the profile so a re-export replaces, not duplicates. */
function nodeId(profile: string, what: string): string {
  return createHash('sha256').update(`etls:${profile}:${what}`).digest('hex').slice(0, 16);
}

export interface NodeRedExport {
  nodes: Array<Record<string, unknown>>;
  text: string;
}

/**
 * The flow: a tab with an `mqtt in` node and a debug node, and the two configuration nodes. Paths
 * are absolute: Node-RED resolves relative ones against its own working folder.
 */
export async function nodeRedFlow(
  fs: FileSystemPort,
  project: LoadedProject,
  profileName: string,
): Promise<NodeRedExport> {
  const ctx = snippetContext(project, profileName);
  requireFiles(ctx, ['ca'], 'Node-RED');
  const pem: Partial<Record<FileRole, ProfileFile>> = {};
  for (const r of ['ca', 'cert', 'key'] as FileRole[])
    if (ctx.files[r]) pem[r] = await pemFile(fs, ctx, ctx.files[r]!, 'Node-RED');
  const b = ctx.broker;
  const ids = {
    tab: nodeId(profileName, 'tab'),
    tls: nodeId(profileName, 'tls-config'),
    broker: nodeId(profileName, 'mqtt-broker'),
    input: nodeId(profileName, 'mqtt in'),
    debug: nodeId(profileName, 'debug'),
  };
  const tls = {
    id: ids.tls,
    type: 'tls-config',
    name: `${profileName} (etls)`,
    cert: pem.cert && pem.key ? pem.cert.path : '',
    key: pem.cert && pem.key ? pem.key.path : '',
    ca: pem.ca!.path,
    certname: '',
    keyname: '',
    caname: '',
    servername: b.servername ?? b.host,
    verifyservercert: true,
    alpnprotocol: b.alpn ?? '',
  };
  const broker = {
    id: ids.broker,
    type: 'mqtt-broker',
    name: `${profileName} (etls)`,
    broker: b.host,
    port: b.port,
    tls: ids.tls,
    clientid: b.clientId,
    autoConnect: true,
    usetls: true,
    protocolVersion: b.mqttVersion === 5 ? 5 : 4,
    keepalive: 60,
    cleansession: true,
    autoUnsubscribe: true,
    birthTopic: '',
    birthQos: '0',
    birthRetain: 'false',
    birthPayload: '',
    birthMsg: {},
    closeTopic: '',
    closeQos: '0',
    closeRetain: 'false',
    closePayload: '',
    closeMsg: {},
    willTopic: '',
    willQos: '0',
    willRetain: 'false',
    willPayload: '',
    willMsg: {},
    userProps: '',
    sessionExpiry: '',
  };
  const nodes: Array<Record<string, unknown>> = [
    {
      id: ids.tab,
      type: 'tab',
      label: `${profileName} (etls)`,
      disabled: false,
      info: `${GENERATED_MARKER} export node-red from profile "${profileName}".`,
    },
    {
      id: ids.input,
      type: 'mqtt in',
      z: ids.tab,
      name: '',
      topic: `devices/${b.clientId}/#`,
      qos: '1',
      datatype: 'auto-detect',
      broker: ids.broker,
      nl: false,
      rap: true,
      rh: 0,
      inputs: 0,
      x: 160,
      y: 80,
      wires: [[ids.debug]],
    },
    {
      id: ids.debug,
      type: 'debug',
      z: ids.tab,
      name: '',
      active: true,
      tosidebar: true,
      console: false,
      complete: 'true',
      targetType: 'full',
      x: 400,
      y: 80,
      wires: [],
    },
    broker,
    tls,
  ];
  // One node per line, the tab first: its info carries the mark that lets etls replace its own export.
  return { nodes, text: `[\n${nodes.map((n) => `  ${JSON.stringify(n)}`).join(',\n')}\n]\n` };
}
