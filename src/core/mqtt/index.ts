// The MQTT-over-TLS capability: staged connect, probe, diagnosis and the test client core.
export * from './types';
export * from './explain';
export * from './material';
export * from './probe';
export * from './client';
export { readCertificates, readPrivateKey, commonName } from './tlsFiles';
