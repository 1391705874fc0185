// Types of devCerts.mjs, for the TypeScript tests that import it (test/support/openssl.ts).
import type { ExecFileSyncOptions } from 'node:child_process';

/** A certificate file and its key file. */
export interface Issued {
  cert: string;
  key: string;
}

export declare function openssl(args: string[], options?: ExecFileSyncOptions): Buffer;
export declare function openssl(args: string[], options: ExecFileSyncOptions & { encoding: BufferEncoding }): string;

/** rsa:BITS or ec:CURVE, e.g. rsa:2048, ec:P-256. */
export type KeySpec = string;

export declare function makeKey(path: string, spec?: KeySpec, options?: { traditional?: boolean }): string;

export declare const CA_EXTENSIONS: string[];

export declare function makeCa(
  dir: string,
  options?: { name?: string; subject?: string; days?: number; keySpec?: KeySpec; key?: string; ext?: string[] },
): Issued;

export declare function leafExtensions(options?: {
  usage?: 'client' | 'server';
  san?: string[];
  keySpec?: KeySpec;
}): string[];

export declare function issueCert(
  dir: string,
  issuer: Issued,
  options: {
    name: string;
    subject: string;
    key?: string;
    keySpec?: KeySpec;
    usage?: 'client' | 'server';
    san?: string[];
    ext?: string[];
    days?: number;
    start?: string;
    end?: string;
    serial?: number;
  },
): Issued;

export declare function toDer(certPem: string, derPath: string): string;
export declare function keyToDer(keyPem: string, derPath: string, alg?: 'rsa' | 'ec'): string;
export declare function toPkcs12(
  pair: Issued,
  caCert: string,
  p12Path: string,
  password: string,
  friendlyName: string,
): void;
export declare function encryptKey(keyPath: string, outPath: string, password: string): void;
export declare function cByteArray(name: string, bytes: Uint8Array): string;
export declare function cPemString(name: string, pemPath: string): string;
export declare function publicKeyOf(file: string, kind: 'cert' | 'key'): string;
export declare function opensslVerifies(ca: string, cert: string, extra?: string[]): boolean;
