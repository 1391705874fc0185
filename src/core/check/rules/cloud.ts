// Cloud rules, read from the cloud catalog: AWS IoT Core and Azure IoT Hub requirements.
import { isIP } from 'node:net';
import { editFix, isCert, isKey, onObject, type ResolvedProfile, type RuleContext } from '../context';
import { matchKnownRoot } from '../../targets/clouds';
import type { Finding, FindingCode, FindingFix, Severity } from '../types';

function onSetting(
  ctx: RuleContext,
  r: ResolvedProfile,
  path: string[],
  severity: Severity,
  code: FindingCode,
  message: string,
  fix?: FindingFix,
): void {
  const f: Finding = { file: ctx.project!.path, severity, code, message, profile: r.name };
  const range = ctx.locate(['profiles', r.name, ...path]);
  if (range) f.range = range;
  if (fix) f.fix = fix;
  ctx.report(f);
}

function rootRule(
  ctx: RuleContext,
  r: ResolvedProfile,
  codes: { retired: FindingCode; unknown: FindingCode },
): void {
  const spec = r.cloud;
  for (const ca of r.ca) {
    const subject = {
      commonName: ca.object.subject.commonName,
      organization: ca.object.subject.attributes.find((a) => a.type === 'O')?.value,
    };
    const retired = matchKnownRoot(spec.retiredRoots, subject);
    if (retired) {
      ctx.report(
        onObject(ca, {
          severity: 'error',
          code: codes.retired,
          profile: r.name,
          message: `${retired.name} no longer signs ${spec.name} endpoints; the device rejects the server. Trust ${spec.serverRoots?.[0]?.name} instead`,
        }),
      );
      return;
    }
    if (matchKnownRoot(spec.serverRoots, subject)) return;
  }
  const first = r.ca[0];
  if (first)
    ctx.report(
      onObject(first, {
        severity: 'warning',
        code: codes.unknown,
        profile: r.name,
        message: `${spec.name} servers chain to ${spec.serverRoots?.map((s) => s.name).join(' or ')}; the configured CA (${r.ca.map((c) => c.label).join(', ')}) is none of them, so the device will probably reject the server`,
      }),
    );
}

function awsRules(ctx: RuleContext, r: ResolvedProfile): void {
  const spec = r.cloud;
  const dk = spec.deviceKeys!;
  const subject = r.key ?? r.cert;
  const pk = isKey(subject)
    ? subject.object.publicKey
    : isCert(subject)
      ? subject.object.publicKey
      : undefined;
  if (subject && pk) {
    const okAlg = dk.algorithms.includes(pk.algorithm);
    const tooSmall = pk.algorithm === 'RSA' && pk.bits < dk.minRsaBits;
    const badCurve = pk.algorithm === 'EC' && !dk.curves.includes(pk.curve ?? '');
    if (!okAlg || tooSmall || badCurve)
      ctx.report(
        onObject(subject, {
          severity: 'error',
          code: 'aws-key-type',
          profile: r.name,
          message: `AWS IoT Core accepts RSA keys of ${dk.minRsaBits} bits or more, or ECDSA on ${dk.curves.join('/')}; this is ${pk.algorithm}${pk.curve ? ` ${pk.curve}` : `-${pk.bits}`}, so registering the certificate or the handshake fails. Create an RSA-2048 or EC P-256 key`,
        }),
      );
  }
  if (r.cert && spec.signatureHashes) {
    const alg = r.cert.object.signatureAlgorithm.toUpperCase().replace('-', '');
    if (!spec.signatureHashes.some((h) => alg.includes(h)))
      ctx.report(
        onObject(r.cert, {
          severity: 'error',
          code: 'aws-signature-hash',
          profile: r.name,
          message: `AWS IoT Core needs certificates signed with SHA-256, SHA-384 or SHA-512; ${r.cert.label} is signed with ${r.cert.object.signatureAlgorithm}. Re-issue it`,
        }),
      );
  }
  rootRule(ctx, r, { retired: 'aws-legacy-root', unknown: 'aws-root-ca' });
  if (!ctx.project) return;
  const b = r.profile.broker;
  if (!b) return;
  const port = b.port ?? 8883;
  if (port === 443 && !(b.alpn ?? []).includes('x-amzn-mqtt-ca'))
    onSetting(
      ctx,
      r,
      ['broker', 'port'],
      'error',
      'aws-port-alpn',
      'AWS IoT Core on port 443 needs ALPN "x-amzn-mqtt-ca" for MQTT with X.509 client certificates; without it the connection is dropped right after the handshake. Add "alpn": ["x-amzn-mqtt-ca"] to the broker, or use port 8883',
      editFix(ctx, r, ['broker', 'port'], 8883, 'Use port 8883'),
    );
  else if (!spec.ports?.some((p) => p.port === port))
    onSetting(
      ctx,
      r,
      ['broker', 'port'],
      'warning',
      'aws-port-alpn',
      `AWS IoT Core takes MQTT with X.509 client certificates on port 8883, or 443 with ALPN x-amzn-mqtt-ca; port ${port} will not answer`,
      editFix(ctx, r, ['broker', 'port'], 8883, 'Use port 8883'),
    );
  if (spec.host && !isIP(b.host) && !spec.host.pattern.test(b.host))
    onSetting(
      ctx,
      r,
      ['broker', 'host'],
      'warning',
      'aws-endpoint',
      `${b.host} is not an AWS IoT ATS endpoint; legacy endpoints were signed by the retired VeriSign/Symantec root. ${spec.host.hint}`,
    );
  if (isIP(b.host) && !b.servername)
    onSetting(
      ctx,
      r,
      ['broker', 'host'],
      'error',
      'aws-sni',
      `the device dials AWS IoT by IP address (${b.host}), so it cannot send the endpoint name as SNI, which AWS IoT requires. Dial the endpoint name, or set "servername"`,
    );
  else if (r.target && !r.target.tls.sni)
    onSetting(
      ctx,
      r,
      ['target'],
      'warning',
      'aws-sni',
      `the ${r.target.name} sends no SNI; AWS IoT needs it for configurable endpoints and custom domains, and routes by it. Use the default ATS endpoint, or a board whose stack sends SNI`,
    );
}

function azureRules(ctx: RuleContext, r: ResolvedProfile): void {
  rootRule(ctx, r, { retired: 'azure-baltimore-root', unknown: 'azure-root-ca' });
  const b = r.profile.broker;
  const spec = r.cloud;
  const username = b?.username;
  const fromUser = username && spec.username ? spec.username.pattern.exec(username) : null;
  const deviceId = b?.clientId ?? fromUser?.[2];
  // Self-signed devices are registered by thumbprint; only CA-signed ones need CN = deviceId (§4).
  if (r.cert && !r.cert.object.selfSigned && deviceId && r.cert.object.subject.commonName !== deviceId)
    ctx.report(
      onObject(r.cert, {
        severity: 'error',
        code: 'azure-cn-device-id',
        profile: r.name,
        message: `Azure IoT Hub needs a CA-signed device certificate's CN to equal the deviceId "${deviceId}", and this one has CN=${r.cert.object.subject.commonName ?? '(none)'}; the hub refuses the connection. Re-issue it with CN=${deviceId}`,
      }),
    );
  if (!ctx.project || !b) return;
  if (spec.username && deviceId) {
    const expected = spec.username.template.replace('{host}', b.host).replace('{deviceId}', deviceId);
    const ok = fromUser && fromUser[1]?.toLowerCase() === b.host.toLowerCase() && fromUser[2] === deviceId;
    if (!ok)
      onSetting(
        ctx,
        r,
        username ? ['broker', 'username'] : ['broker'],
        'error',
        'azure-username',
        `Azure IoT Hub expects the MQTT user name "${expected}"${username ? `, not "${username}"` : ''}; otherwise CONNACK says "bad user name or password"`,
        editFix(ctx, r, ['broker', 'username'], expected, 'Set the Azure user name'),
      );
  }
  if ((b.port ?? 8883) !== 8883)
    onSetting(
      ctx,
      r,
      ['broker', 'port'],
      'warning',
      'azure-port',
      `Azure IoT Hub takes MQTT on port 8883 (443 is MQTT over WebSockets, which a board's MQTT client does not speak)`,
      editFix(ctx, r, ['broker', 'port'], 8883, 'Use port 8883'),
    );
}

export function cloudRule(ctx: RuleContext): void {
  for (const r of ctx.profiles) {
    if (r.cloud.id === 'aws-iot') awsRules(ctx, r);
    else if (r.cloud.id === 'azure-iot-hub') azureRules(ctx, r);
  }
}
