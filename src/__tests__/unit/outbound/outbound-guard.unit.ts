import {expect} from '@loopback/testlab';
import {loadServiceConfig} from '../../../config/service-config';
import {ConfigError, EnvReader} from '../../../config/env-reader';
import {readOutboundConfig} from '../../../config/outbound-config';
import {OutboundGuard} from '../../../outbound/outbound-guard';
import {findOutboundRefusal, OutboundAddressRefusedError} from '../../../outbound/outbound-refused.error';

describe('OutboundGuard (unit)', () => {
  const production = (allowedHosts: string[] = []) => new OutboundGuard({restrictPrivateAddresses: true, allowedHosts});

  it('refuses loopback, private, link-local and unique-local addresses in production', () => {
    for (const address of ['127.0.0.1', '10.0.0.5', '169.254.169.254', 'fd00::1', '::ffff:192.168.0.1']) {
      expect(production().refusal('store.example', 443, address)).to.be.instanceOf(OutboundAddressRefusedError);
    }
    expect(production().refusal('store.example', 443, '52.216.8.0')).to.be.null();
  });

  it('names the host, the address and the way out, never anything else', () => {
    const refused = production().refusal('db.internal', 5432, '127.0.0.1')!;
    expect(refused.code).to.equal('OUTBOUND_ADDRESS_REFUSED');
    expect(refused.message).to.equal(
      'Connections to db.internal:5432 (it resolves to 127.0.0.1) are refused: a loopback address is not reachable from this service unless "db.internal:5432" is listed in OUTBOUND_ALLOWED_HOSTS',
    );
  });

  it('lets listed host:port pairs through, by name or by address, on that port only', () => {
    const guard = production(['minio.internal:9000', '10.0.0.7:9000', '[::1]:9000']);
    expect(guard.refusal('minio.internal', 9000, '10.0.0.5')).to.be.null();
    expect(guard.refusal('MINIO.internal', 9000, '10.0.0.5')).to.be.null();
    expect(guard.refusal('other.internal', 9000, '10.0.0.7')).to.be.null();
    expect(guard.refusal('::1', 9000, '::1')).to.be.null();
    expect(guard.refusal('minio.internal', 5432, '10.0.0.5')).to.not.be.null();
    expect(guard.refusal('other.internal', 9000, '10.0.0.5')).to.not.be.null();
  });

  it('allows everything outside production (local emulators on loopback)', () => {
    const guard = new OutboundGuard({restrictPrivateAddresses: false, allowedHosts: []});
    expect(guard.refusal('localhost', 5432, '127.0.0.1')).to.be.null();
  });

  it('finds a refusal under SDK wrappers (a cause chain, or a copied code)', () => {
    const refused = production().refusal('h', 80, '127.0.0.1')!;
    expect(findOutboundRefusal(new Error('wrapped', {cause: refused}))?.message).to.equal(refused.message);
    expect(findOutboundRefusal(Object.assign(new Error(refused.message), {code: refused.code}))?.message).to.equal(refused.message);
    expect(findOutboundRefusal(new Error('ECONNREFUSED'))).to.be.undefined();
  });
});

describe('OUTBOUND_ALLOWED_HOSTS (unit)', () => {
  it('restricts only in production, and reads host:port entries', () => {
    expect(loadServiceConfig({}).outbound).to.eql({restrictPrivateAddresses: false, allowedHosts: []});
    const env = {OUTBOUND_ALLOWED_HOSTS: 'MinIO.internal:9000, 10.0.0.7:443,[fd00::1]:9000'};
    expect(readOutboundConfig(new EnvReader(env), true)).to.eql({
      restrictPrivateAddresses: true,
      allowedHosts: ['minio.internal:9000', '10.0.0.7:443', '[fd00::1]:9000'],
    });
  });

  it('refuses an entry without a port, naming the variable', () => {
    for (const value of ['minio.internal', 'minio.internal:0', 'http://minio:9000', 'fd00::1:9000']) {
      expect(() => loadServiceConfig({OUTBOUND_ALLOWED_HOSTS: value})).to.throw(ConfigError, {variable: 'OUTBOUND_ALLOWED_HOSTS'});
    }
  });
});
