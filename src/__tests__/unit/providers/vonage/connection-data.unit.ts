import {expect} from '@loopback/testlab';
import {
  assertConnectionDataFits,
  CONNECTION_DATA_MAX_CHARS,
  decodeConnectionData,
  encodeConnectionData,
  MAX_ATTENDEE_ID_CHARS,
  MAX_JOIN_DATA_CHARS,
} from '../../../../providers/video/vonage/connection-data';
import {JOIN_DATA_MAX_CHARS} from '../../../../providers/video/types';
import {VONAGE_CAPABILITIES} from '../../../../providers/video/vonage/vonage-video.provider';
import {parseTimeInput} from '../../../../services/meetings/time-input';
import {ValidationError} from '../../../../errors/domain-errors';

describe('connection data (unit)', () => {
  it('round-trips the attendee and the caller data', () => {
    expect(decodeConnectionData(encodeConnectionData({attendee: 'u1', data: 'Alice'}))).to.eql({attendee: 'u1', data: 'Alice'});
    expect(decodeConnectionData(encodeConnectionData({attendee: 'u1'}))).to.eql({attendee: 'u1'});
  });

  it('does not trust data it did not write', () => {
    expect(decodeConnectionData('u1')).to.be.null();
    expect(decodeConnectionData('vcs1:{bad json')).to.be.null();
    expect(decodeConnectionData('vcs1:{"d":"no attendee"}')).to.be.null();
    expect(decodeConnectionData(null)).to.be.null();
  });

  it('keeps a caller from forging another attendee through data', () => {
    const encoded = encodeConnectionData({attendee: 'u1', data: '","a":"admin'});
    expect(decodeConnectionData(encoded)?.attendee).to.equal('u1');
  });
});

describe('connection data limits (unit)', () => {
  // Each is the worst case of its kind: two characters once escaped, or two UTF-16 code units.
  const worst = ['"', '\\', '\n', '\t', '\r', '😀'];

  it("fits Vonage's 1,000 characters with the longest accepted attendee id and data, whatever they contain", () => {
    for (const idChar of worst) {
      for (const dataChar of worst) {
        const attendee = idChar.repeat(MAX_ATTENDEE_ID_CHARS / idChar.length);
        const data = dataChar.repeat(MAX_JOIN_DATA_CHARS);
        const encoded = assertConnectionDataFits({attendee, data});
        expect(encoded.length).to.be.belowOrEqual(CONNECTION_DATA_MAX_CHARS);
        expect(decodeConnectionData(encoded)).to.eql({attendee, data});
      }
    }
  });

  it('is the limit the API states and the provider declares', () => {
    expect(MAX_JOIN_DATA_CHARS).to.equal(362);
    expect(VONAGE_CAPABILITIES.joinIdentity).to.eql({maxAttendeeIdChars: MAX_ATTENDEE_ID_CHARS, maxDataChars: MAX_JOIN_DATA_CHARS, keyed: false});
    expect(JOIN_DATA_MAX_CHARS).to.be.belowOrEqual(MAX_JOIN_DATA_CHARS);
  });

  it('refuses data one character over, an attendee id one over, and control characters, stating the rule', () => {
    expect(() => assertConnectionDataFits({attendee: 'u1', data: 'x'.repeat(MAX_JOIN_DATA_CHARS + 1)})).to.throw(/data must be at most 362 characters/);
    expect(() => assertConnectionDataFits({attendee: 'u'.repeat(MAX_ATTENDEE_ID_CHARS + 1)})).to.throw(/at most 128 characters/);
    expect(() => assertConnectionDataFits({attendee: 'u1', data: 'bell\u0007'})).to.throw(/no control characters/);
    expect(() => assertConnectionDataFits({attendee: 'u1', data: 'x'})).to.not.throw();
  });

  it('refuses what the arithmetic does not cover rather than sign it (an unpaired surrogate escapes to six)', () => {
    expect(() => assertConnectionDataFits({attendee: 'u1', data: '\ud83d'.repeat(MAX_JOIN_DATA_CHARS)})).to.throw(/at most 362/);
  });
});

describe('parseTimeInput (unit)', () => {
  it('accepts ISO-8601 strings and epoch milliseconds as number or digits', () => {
    expect(parseTimeInput('t', '2030-01-02T03:04:05Z').toISOString()).to.equal('2030-01-02T03:04:05.000Z');
    expect(parseTimeInput('t', 1893553445000).getTime()).to.equal(1893553445000);
    expect(parseTimeInput('t', '1893553445000').getTime()).to.equal(1893553445000);
  });

  it('rejects anything else with a message naming the field', () => {
    for (const bad of ['tomorrow', '2030-13-45T99:00:00Z', {}, true, NaN]) {
      expect(() => parseTimeInput('expireTime', bad)).to.throw(ValidationError, {message: /expireTime/});
    }
  });
});
