import { strict as assert } from 'node:assert';
import { describePort, identifyBoard, identifyPorts } from '../../../src/core/push/boards';
import { splitPair } from '../../../src/cli/commands/push';

describe('push/boards: identify boards by USB VID:PID', () => {
  it('knows the CC3220/CC3235 LaunchPad XDS110 and suggests simplelink-at', () => {
    for (const pid of ['bef3', 'BEF4', '0xbef3']) {
      const b = identifyBoard({ path: '/dev/ttyACM0', vendorId: '0451', productId: pid });
      assert.equal(b?.protocol, 'simplelink-at', pid);
      assert.match(b!.name, /XDS110/);
    }
  });

  it('knows the usual USB-serial bridges and Arduino boards', () => {
    assert.match(identifyBoard({ path: 'COM3', vendorId: '10c4', productId: 'ea60' })!.name, /CP210x/);
    assert.match(identifyBoard({ path: 'x', vendorId: '1a86', productId: '7523' })!.name, /CH340/);
    assert.match(identifyBoard({ path: 'x', vendorId: '0403', productId: '6001' })!.name, /FTDI/);
    assert.match(identifyBoard({ path: 'x', vendorId: '2341', productId: '8057' })!.name, /Arduino/);
    assert.equal(identifyBoard({ path: '/dev/pts/3' }), undefined);
    assert.equal(identifyBoard({ path: 'x', vendorId: 'zzzz' }), undefined);
  });

  it('lists known boards first and describes each port in one line', () => {
    const ports = identifyPorts([
      { path: '/dev/ttyS0' },
      { path: '/dev/ttyACM10', vendorId: '0451', productId: 'bef3' },
      { path: '/dev/ttyACM2', vendorId: '0451', productId: 'bef3' },
    ]);
    assert.deepEqual(
      ports.map((p) => p.path),
      ['/dev/ttyACM2', '/dev/ttyACM10', '/dev/ttyS0'],
    );
    assert.match(describePort(ports[0]!), /^\/dev\/ttyACM2 {2}TI XDS110.*\[USB 0451:bef3\]$/);
    assert.equal(describePort(ports[2]!), '/dev/ttyS0  unknown device');
  });
});

describe('cli push: LOCAL:REMOTE', () => {
  it('splits pairs and keeps Windows drive letters on the local side', () => {
    assert.deepEqual(splitPair('certs/a.pem:/cert/a.der'), { local: 'certs/a.pem', remote: '/cert/a.der' });
    assert.deepEqual(splitPair('C:\\certs\\a.pem:/cert/a.der'), {
      local: 'C:\\certs\\a.pem',
      remote: '/cert/a.der',
    });
    assert.throws(() => splitPair('a.pem'), /LOCAL:REMOTE/);
    assert.throws(() => splitPair('a.pem:'), /LOCAL:REMOTE/);
  });
});
