import {expect} from '@loopback/testlab';
import {SecretBox} from '../../../crypto/secret-box';

describe('SecretBox (unit)', () => {
  const key = Buffer.alloc(32, 1);

  it('round-trips a value and never shows it in the sealed text', () => {
    const box = new SecretBox(key);
    const sealed = box.seal({secretKey: 'very-secret'});
    expect(sealed).to.match(/^v1\./);
    expect(sealed).to.not.containEql('very-secret');
    expect(box.open(sealed)).to.eql({secretKey: 'very-secret'});
  });

  it('uses a fresh IV each time', () => {
    const box = new SecretBox(key);
    expect(box.seal('x')).to.not.equal(box.seal('x'));
  });

  it('refuses tampered data and the wrong key', () => {
    const sealed = new SecretBox(key).seal({a: 1});
    const parts = sealed.split('.');
    const flipped = Buffer.from(parts[3], 'base64');
    flipped[0] ^= 1;
    expect(() => new SecretBox(key).open([...parts.slice(0, 3), flipped.toString('base64')].join('.'))).to.throw(/wrong key or tampered/);
    expect(() => new SecretBox(Buffer.alloc(32, 2)).open(sealed)).to.throw(/wrong key or tampered/);
    expect(() => new SecretBox(key).open('v0.a.b.c')).to.throw(/unknown format/);
  });

  it('needs a 32-byte key', () => {
    expect(() => new SecretBox(Buffer.alloc(16))).to.throw(/32-byte/);
  });
});
