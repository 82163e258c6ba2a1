import {expect} from '@loopback/testlab';
import {decodeConnectionData, encodeConnectionData} from '../../../../providers/video/vonage/connection-data';
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
