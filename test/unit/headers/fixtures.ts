// Certificates for unit tests, made once with openssl (EC P-256, valid for a century).
// Fixed text so the tests need no openssl; the e2e tests make fresh ones.
import { generateKeyPairSync } from 'node:crypto';

export const caPem = `-----BEGIN CERTIFICATE-----
MIIBgTCCASegAwIBAgIUAI/hAwNQcDWIrlKXcUKVhWbvVBMwCgYIKoZIzj0EAwIw
FTETMBEGA1UEAwwKRml4dHVyZSBDQTAgFw0yNjExMjEwNTU1NDhaGA8yMTI2MTAy
ODA1NTU0OFowFTETMBEGA1UEAwwKRml4dHVyZSBDQTBZMBMGByqGSM49AgEGCCqG
SM49AwEHA0IABPfy/vf5N4gho2zcthuX9OkZibNcxgz7ogMetCVage3tNNtDdNXe
ZseTADdI4u8soYnBCGI/Ru+cgFjDW76NWIWjUzBRMB0GA1UdDgQWBBTjeogaankI
hQtnbFbzb8LdfCM6QTAfBgNVHSMEGDAWgBTjeogaankIhQtnbFbzb8LdfCM6QTAP
BgNVHRMBAf8EBTADAQH/MAoGCCqGSM49BAMCA0gAMEUCIA5U00q2ZF33JLvxDYlH
i4RcNvEFP+HwWGXVNFZwOM90AiEAw25xLxeM9K1pbDmdqSsFvXnMbV+IDgogRI4g
GvOQysc=
-----END CERTIFICATE-----
`;
export const devPem = `-----BEGIN CERTIFICATE-----
MIIBEjCBuQIBAjAKBggqhkjOPQQDAjAVMRMwEQYDVQQDDApGaXh0dXJlIENBMCAX
DTI2MTEyMTA1NTU0OFoYDzIxMjYxMDI4MDU1NTQ4WjAUMRIwEAYDVQQDDAlkZXZp
Y2UtMDEwWTATBgcqhkjOPQIBBggqhkjOPQMBBwNCAAQYjMCRiMr1VdqwD0L+04R1
pkoc6pz6kSf67qVOtYH/d1SjSio2/6UhNiS3CPl4OF/IuuDUD2s2eZYownp2UBab
MAoGCCqGSM49BAMCA0gAMEUCIQCL2tStpmYEgtzMIXgJ2Tiel3oP8d3XUEjfDAlw
a1fIpQIgVFQOsp6bFqhWicHr2soKTxtPT+NukHimBSl8sLSE3is=
-----END CERTIFICATE-----
`;

/** A fresh EC private key in SEC1 PEM, as `openssl ecparam -genkey` writes it. */
export function ecKeyPem(): string {
  const { privateKey } = generateKeyPairSync('ec', { namedCurve: 'prime256v1' });
  return privateKey.export({ format: 'pem', type: 'sec1' }).toString();
}
