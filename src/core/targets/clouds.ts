// What each cloud or broker requires of the device's key, certificate, trust anchor and connection,
// as data for the check rules. Facts: field notes §4 (cloud requirements) and §2 (SAN and SNI).
import type { KeyAlgorithm } from '../x509/types';
import type { CloudId } from './ids';

/** A public root recognised by its subject (CN and O), which is stable across re-issues of the file. */
export interface KnownRoot {
  name: string;
  commonName: string;
  organization?: string;
  algorithm: KeyAlgorithm;
}

export interface CloudPort {
  port: number;
  /** The ALPN protocol the broker needs on this port with X.509 client authentication. */
  alpn?: string;
}

export interface CloudSpec {
  id: CloudId;
  name: string;
  /** Device keys the cloud accepts; undefined when it accepts whatever the broker's TLS stack does. */
  deviceKeys?: { algorithms: KeyAlgorithm[]; minRsaBits: number; curves: string[] };
  /** Hash functions the device certificate's signature may use. */
  signatureHashes?: string[];
  /** Roots the device should trust for the server; the first is the recommended one. */
  serverRoots?: KnownRoot[];
  /** Roots that still appear in old tutorials but no longer sign the endpoint. */
  retiredRoots?: KnownRoot[];
  /** Ports with X.509 client authentication, and the ALPN each needs. */
  ports?: CloudPort[];
  /** The endpoint host pattern, and the hint when it does not match. */
  host?: { pattern: RegExp; hint: string };
  /** SNI is required (dialling an IP address without a server name fails). */
  sniRequired: boolean;
  /** The device certificate's CN must equal the device id (client id). */
  cnIsDeviceId: boolean;
  /** The MQTT user name pattern, with `{host}` and `{deviceId}` filled in for the hint. */
  username?: { pattern: RegExp; template: string };
  /** The broker certificate is under the user's control, so its SAN must cover the dialled host. */
  brokerCertInWorkspace: boolean;
}

const amazonRootCa1: KnownRoot = {
  name: 'Amazon Root CA 1',
  commonName: 'Amazon Root CA 1',
  organization: 'Amazon',
  algorithm: 'RSA',
};
const amazonRootCa3: KnownRoot = {
  name: 'Amazon Root CA 3',
  commonName: 'Amazon Root CA 3',
  organization: 'Amazon',
  algorithm: 'EC',
};
const digicertG2: KnownRoot = {
  name: 'DigiCert Global Root G2',
  commonName: 'DigiCert Global Root G2',
  organization: 'DigiCert Inc',
  algorithm: 'RSA',
};

export const cloudCatalog: Readonly<Record<CloudId, CloudSpec>> = {
  'aws-iot': {
    id: 'aws-iot',
    name: 'AWS IoT Core',
    // RSA-1024 is rejected; ECDSA on P-256 or P-384 (§4).
    deviceKeys: { algorithms: ['RSA', 'EC'], minRsaBits: 2048, curves: ['P-256', 'P-384'] },
    signatureHashes: ['SHA256', 'SHA384', 'SHA512'],
    serverRoots: [
      amazonRootCa1,
      amazonRootCa3,
      { name: 'Amazon Root CA 2', commonName: 'Amazon Root CA 2', organization: 'Amazon', algorithm: 'RSA' },
      { name: 'Amazon Root CA 4', commonName: 'Amazon Root CA 4', organization: 'Amazon', algorithm: 'EC' },
    ],
    // The Symantec/VeriSign endpoints are retired; -ats endpoints are signed by Amazon Trust Services.
    retiredRoots: [
      {
        name: 'VeriSign Class 3 Public Primary Certification Authority - G5',
        commonName: 'VeriSign Class 3 Public Primary Certification Authority - G5',
        algorithm: 'RSA',
      },
      {
        name: 'Symantec Class 3 Public Primary Certification Authority - G4',
        commonName: 'Symantec Class 3 Public Primary Certification Authority - G4',
        algorithm: 'EC',
      },
    ],
    ports: [{ port: 8883 }, { port: 443, alpn: 'x-amzn-mqtt-ca' }],
    host: {
      pattern: /^[a-z0-9]+-ats\.iot\.[a-z0-9-]+\.amazonaws\.com(\.cn)?$/i,
      hint: 'Use the ATS endpoint `<prefix>-ats.iot.<region>.amazonaws.com` (aws iot describe-endpoint --endpoint-type iot:Data-ATS)',
    },
    sniRequired: true,
    cnIsDeviceId: false,
    brokerCertInWorkspace: false,
  },
  'azure-iot-hub': {
    id: 'azure-iot-hub',
    name: 'Azure IoT Hub',
    signatureHashes: ['SHA256', 'SHA384', 'SHA512'],
    // Baltimore was retired in the 2022-23 migration; trust G2 (and Microsoft RSA Root 2017).
    serverRoots: [
      digicertG2,
      {
        name: 'Microsoft RSA Root Certificate Authority 2017',
        commonName: 'Microsoft RSA Root Certificate Authority 2017',
        organization: 'Microsoft Corporation',
        algorithm: 'RSA',
      },
    ],
    retiredRoots: [
      {
        name: 'Baltimore CyberTrust Root',
        commonName: 'Baltimore CyberTrust Root',
        organization: 'Baltimore',
        algorithm: 'RSA',
      },
    ],
    ports: [{ port: 8883 }],
    host: { pattern: /^[a-z0-9-]+\.azure-devices\.net$/i, hint: 'The hub host is `<hub>.azure-devices.net`' },
    sniRequired: true,
    // CA-signed devices: CN must equal the deviceId (§4).
    cnIsDeviceId: true,
    username: {
      pattern: /^([a-z0-9-]+\.azure-devices\.net)\/([^/]+)\/\?api-version=\d{4}-\d{2}-\d{2}(&.*)?$/i,
      template: '{host}/{deviceId}/?api-version=2021-04-12',
    },
    brokerCertInWorkspace: false,
  },
  mosquitto: {
    id: 'mosquitto',
    name: 'Mosquitto',
    sniRequired: false,
    cnIsDeviceId: false,
    brokerCertInWorkspace: true,
  },
  generic: {
    id: 'generic',
    name: 'MQTT broker',
    sniRequired: false,
    cnIsDeviceId: false,
    brokerCertInWorkspace: true,
  },
};

export function cloudSpec(id: CloudId): CloudSpec {
  return cloudCatalog[id];
}

/** Which known root a certificate subject is, if any. */
export function matchKnownRoot(
  roots: readonly KnownRoot[] | undefined,
  subject: { commonName?: string; organization?: string },
): KnownRoot | undefined {
  return roots?.find(
    (r) =>
      r.commonName === subject.commonName &&
      (r.organization === undefined || r.organization === subject.organization),
  );
}

/** Guesses the cloud from the broker host when the profile does not say. */
export function inferCloud(host: string | undefined): CloudId {
  if (!host) return 'generic';
  if (/\.iot\.[a-z0-9-]+\.amazonaws\.com(\.cn)?$/i.test(host)) return 'aws-iot';
  if (/\.azure-devices\.net$/i.test(host)) return 'azure-iot-hub';
  return 'generic';
}
