// Real certificates and keys for the header tests, made with openssl.
import { join } from 'node:path';
import { run, runBytes } from '../../support/realParts';

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
  const p = (f: string) => join(dir, f);
  const o = (...args: string[]) => run('openssl', args, { cwd: dir });
  o(
    'req',
    '-x509',
    '-newkey',
    'rsa:2048',
    '-nodes',
    '-keyout',
    'ca.key',
    '-out',
    'ca.pem',
    '-days',
    '3650',
    '-subj',
    '/CN=Header Test CA',
    '-addext',
    'basicConstraints=critical,CA:TRUE',
  );
  o('x509', '-in', 'ca.pem', '-outform', 'DER', '-out', 'ca.der');
  o('ecparam', '-genkey', '-name', 'prime256v1', '-noout', '-out', 'device.key');
  o('req', '-new', '-key', 'device.key', '-subj', '/CN=device-01', '-out', 'device.csr');
  o(
    'x509',
    '-req',
    '-in',
    'device.csr',
    '-CA',
    'ca.pem',
    '-CAkey',
    'ca.key',
    '-set_serial',
    '7',
    '-days',
    '365',
    '-out',
    'device.pem',
  );
  o('x509', '-in', 'device.pem', '-outform', 'DER', '-out', 'device.der');
  o(
    'x509',
    '-req',
    '-in',
    'device.csr',
    '-CA',
    'ca.pem',
    '-CAkey',
    'ca.key',
    '-set_serial',
    '8',
    '-days',
    '730',
    '-out',
    'renewed.pem',
  );
  o('genpkey', '-algorithm', 'RSA', '-pkeyopt', 'rsa_keygen_bits:2048', '-out', 'rsa.key');
  o('rsa', '-in', 'rsa.key', '-traditional', '-outform', 'DER', '-out', 'rsa.der');
  run('sh', ['-c', 'cat device.pem ca.pem > chain.pem'], { cwd: dir });
  return {
    dir,
    caPem: p('ca.pem'),
    caDer: p('ca.der'),
    devicePem: p('device.pem'),
    deviceDer: p('device.der'),
    renewedPem: p('renewed.pem'),
    deviceKey: p('device.key'),
    rsaKeyPkcs8: p('rsa.key'),
    rsaKeyDer: p('rsa.der'),
    chainPem: p('chain.pem'),
  };
}

/** The DER of a PEM key or certificate, as openssl converts it. */
export function derOf(pemPath: string, kind: 'x509' | 'pkcs8' | 'ec'): Buffer {
  const how = kind === 'pkcs8' ? ['pkcs8', '-topk8', '-nocrypt'] : [kind];
  return runBytes('openssl', [...how, '-in', pemPath, '-outform', 'DER']);
}
