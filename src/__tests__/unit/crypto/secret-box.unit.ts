import {expect} from '@loopback/testlab';
import {SecretBox} from '../../../crypto/secret-box';

const KEY = Buffer.alloc(32, 1);
const SECRETS = {accessKey: 'AKIAEXAMPLE', secretKey: 'very-secret/ключ+='};

/** Replaces one dot-separated part of a sealed value. */
function withPart(sealed: string, index: number, change: (bytes: Buffer) => Buffer): string {
  const parts = sealed.split('.');
  parts[index] = change(Buffer.from(parts[index], 'base64')).toString('base64');
  return parts.join('.');
}

function flipFirstBit(bytes: Buffer): Buffer {
  const copy = Buffer.from(bytes);
  copy[0] ^= 1;
  return copy;
}

describe('SecretBox (unit)', () => {
  let box: SecretBox;
  beforeEach(() => {
    box = new SecretBox(KEY);
  });

  it('opens what it sealed, and the sealed text does not show the secret', () => {
    const sealed = box.seal(SECRETS);
    expect(sealed).to.match(/^v1\.[A-Za-z0-9+/=]+\.[A-Za-z0-9+/=]+\.[A-Za-z0-9+/=]+$/);
    expect(sealed).to.not.containEql('very-secret');
    expect(sealed).to.not.containEql(Buffer.from('very-secret').toString('base64'));
    expect(box.open(sealed)).to.eql(SECRETS);
  });

  it('round-trips JSON values other than objects', () => {
    for (const value of ['text', 42, true, null, [1, 'two']]) {
      expect(box.open(box.seal(value))).to.eql(value);
    }
  });

  it('uses a fresh random IV, so sealing the same value twice gives different texts', () => {
    const first = box.seal(SECRETS);
    const second = box.seal(SECRETS);
    expect(first).to.not.equal(second);
    expect(first.split('.')[1]).to.not.equal(second.split('.')[1]);
    expect(Buffer.from(first.split('.')[1], 'base64')).to.have.length(12);
  });

  it('refuses a changed ciphertext', () => {
    const tampered = withPart(box.seal(SECRETS), 3, flipFirstBit);
    expect(() => box.open(tampered)).to.throw(/wrong key or tampered/);
  });

  it('refuses a changed IV', () => {
    const tampered = withPart(box.seal(SECRETS), 1, flipFirstBit);
    expect(() => box.open(tampered)).to.throw(/wrong key or tampered/);
  });

  it('refuses a changed authentication tag', () => {
    const tampered = withPart(box.seal(SECRETS), 2, flipFirstBit);
    expect(() => box.open(tampered)).to.throw(/wrong key or tampered/);
  });

  it('refuses a truncated authentication tag', () => {
    const truncated = withPart(box.seal(SECRETS), 2, tag => tag.subarray(0, 4));
    expect(() => box.open(truncated)).to.throw(/unknown format/);
  });

  it('refuses a value sealed under another key', () => {
    const sealed = new SecretBox(Buffer.alloc(32, 2)).seal(SECRETS);
    expect(() => box.open(sealed)).to.throw(/wrong key or tampered/);
  });

  it('refuses texts that are not in the v1 format', () => {
    const sealed = box.seal(SECRETS);
    expect(() => box.open(sealed.replace(/^v1/, 'v2'))).to.throw(/unknown format/);
    expect(() => box.open(`${sealed}.extra`)).to.throw(/unknown format/);
    expect(() => box.open('not sealed at all')).to.throw(/unknown format/);
  });

  it('refuses to seal a value JSON cannot represent', () => {
    expect(() => box.seal(undefined)).to.throw(/JSON-serialisable/);
  });

  it('needs a key of exactly 32 bytes', () => {
    expect(() => new SecretBox(Buffer.alloc(16))).to.throw(/32-byte key, got 16 bytes/);
    expect(() => new SecretBox(Buffer.alloc(33))).to.throw(/32-byte key, got 33 bytes/);
  });
});
