// Real certificates and keys for the header tests, made with openssl.
import { readFileSync, writeFileSync } from 'node:fs';
import { OpenSslPki } from '../../support/openssl';
import { runBytes } from '../../support/realParts';

export interface Pki {
  dir: string;
  /** RSA-2048 CA, PEM and DER. */
  caPem: string;
  caDer: string;
  /** EC P-256 device certificate signed by the CA, PEM and DER. */
  devicePem: string;
  deviceDer: string;
  /** The same device key, certified again (a renewal): a new leaf certificate. */
  renewedPem: string;
  /** The device key as SEC1 PEM ("EC PRIVATE KEY"). */
  deviceKey: string;
  /** An RSA key as PKCS#8 PEM and as PKCS#1 DER. */
  rsaKeyPkcs8: string;
  rsaKeyDer: string;
  /** CA + device in one PEM file. */
  chainPem: string;
}

export function makePki(dir: string): Pki {
  const pki = new OpenSslPki(dir);
  const ca = pki.root('ca', '/CN=Header Test CA', { ext: ['basicConstraints=critical,CA:TRUE'] });
  const deviceKey = pki.key('device.key', 'ec:P-256', { traditional: true });
  const device = pki.issue('device', '/CN=device-01', ca, { key: deviceKey, days: 365 });
  const renewed = pki.issue('renewed', '/CN=device-01', ca, { key: deviceKey, days: 730 });
  const rsaKey = pki.key('rsa.key');
  writeFileSync(pki.path('chain.pem'), Buffer.concat([readFileSync(device.cert), readFileSync(ca.cert)]));
  return {
    dir,
    caPem: ca.cert,
    caDer: pki.certDer(ca.cert, pki.path('ca.der')),
    devicePem: device.cert,
    deviceDer: pki.certDer(device.cert, pki.path('device.der')),
    renewedPem: renewed.cert,
    deviceKey,
    rsaKeyPkcs8: rsaKey,
    rsaKeyDer: pki.keyDer(rsaKey, pki.path('rsa.der')),
    chainPem: pki.path('chain.pem'),
  };
}

/** The DER of a PEM key or certificate, as openssl converts it. */
export function derOf(pemPath: string, kind: 'x509' | 'pkcs8' | 'ec'): Buffer {
  const how = kind === 'pkcs8' ? ['pkcs8', '-topk8', '-nocrypt'] : [kind];
  return runBytes('openssl', [...how, '-in', pemPath, '-outform', 'DER']);
}
