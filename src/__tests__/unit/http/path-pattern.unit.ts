import {expect} from '@loopback/testlab';
import {pathPattern} from '../../../http/fast-lane/fast-lane';

describe('pathPattern (unit)', () => {
  it('matches one whole segment per template variable, and nothing more', () => {
    const token = pathPattern('/session/{meetingLinkId}/token');
    expect(token.test('/session/Ab-_9xYz/token')).to.be.true();
    expect(token.test('/session/a%2Fb/token')).to.be.true();
    expect(token.test('/session//token')).to.be.false();
    expect(token.test('/session/a/b/token')).to.be.false();
    expect(token.test('/session/a/token/')).to.be.false();
    expect(token.test('/session/a/tokens')).to.be.false();
    expect(token.test('/v1/session/a/token')).to.be.false();
  });

  it('takes the literal parts of a template literally', () => {
    const dotted = pathPattern('/a.b/{id}');
    expect(dotted.test('/a.b/1')).to.be.true();
    expect(dotted.test('/aXb/1')).to.be.false();
    expect(pathPattern('/archives').test('/archives')).to.be.true();
    expect(pathPattern('/archives').test('/archives/1')).to.be.false();
  });
});
