import {expect} from '@loopback/testlab';
import {findUnsafeText, jsonDepth, storableText, unsafeRequestTargetReason, unsafeTextReason} from '../../../utils/safe-text';

const HALF_EMOJI = '\ud83d';

describe('safe text (unit)', () => {
  it('accepts ordinary text, whole emoji and other scripts', () => {
    for (const text of ['', 'Alice', 'Zoë 😀 日本語', 'tab\tand\nnewline', '\ud83d\ude00']) expect(unsafeTextReason(text)).to.be.undefined();
  });

  it('refuses a NUL and either half of a surrogate pair on its own', () => {
    expect(unsafeTextReason('a\u0000b')).to.match(/NUL/);
    expect(unsafeTextReason(`cut ${HALF_EMOJI}`)).to.match(/unpaired surrogate/);
    expect(unsafeTextReason('\ude00 low first')).to.match(/unpaired surrogate/);
    expect(unsafeTextReason('\ude00\ud83d')).to.match(/unpaired surrogate/);
  });

  it('names where in a parsed body the bad text is, property names included', () => {
    expect(findUnsafeText({a: [1, {b: 'ok'}, {c: `x${HALF_EMOJI}`}]}, 'body')).to.equal(
      'body.a[2].c contains an unpaired surrogate (half of a character, e.g. a cut emoji)',
    );
    expect(findUnsafeText({'k\u0000': 1}, 'body')).to.match(/^a property name in body contains a NUL/);
    expect(findUnsafeText({a: ['fine', null, true, 3]}, 'body')).to.be.undefined();
  });

  it('walks a body nested far deeper than the stack allows', () => {
    let deep: unknown = 'x\u0000';
    for (let i = 0; i < 200_000; i++) deep = [deep];
    expect(findUnsafeText(deep, 'body')).to.match(/NUL/);
    expect(jsonDepth(deep)).to.equal(200_000);
  });

  it('measures nesting: a scalar is 0, {} is 1', () => {
    expect(jsonDepth('x')).to.equal(0);
    expect(jsonDepth({})).to.equal(1);
    expect(jsonDepth({a: {b: [1]}, c: 2})).to.equal(3);
  });

  it('refuses request targets with malformed escapes or escapes that decode to unsafe text', () => {
    expect(unsafeRequestTargetReason('/archives/%FF')).to.match(/malformed percent escape/);
    expect(unsafeRequestTargetReason('/archives?x=%E0%A4')).to.match(/malformed percent escape/);
    expect(unsafeRequestTargetReason('/archives/%ED%A0%BD')).to.match(/malformed percent escape/);
    expect(unsafeRequestTargetReason('/session/%00')).to.match(/NUL/);
    expect(unsafeRequestTargetReason('/archives?sessionId=a%00b')).to.match(/NUL/);
  });

  it('accepts ordinary request targets, %25 decoding to a literal %', () => {
    for (const target of ['/archives', '/session/abc/token?x=1&y=a+b', '/archives?q=%25FF', '/x/%F0%9F%98%80', '/x?name=Zo%C3%AB']) {
      expect(unsafeRequestTargetReason(target)).to.be.undefined();
    }
  });

  it('replaces what cannot be stored, keeping the rest', () => {
    expect(storableText(`a\u0000b${HALF_EMOJI}c😀`)).to.equal('a\uFFFDb\uFFFDc😀');
  });
});
