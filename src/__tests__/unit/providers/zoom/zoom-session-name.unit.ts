import {expect} from '@loopback/testlab';
import {ZOOM_SESSION_NAME_MAX_CHARS, zoomPathSegment, zoomSessionName} from '../../../../providers/video/zoom/zoom-session-name';

describe('Zoom session names and path segments (unit)', () => {
  it('keeps a base64url link id and adds a random suffix', () => {
    expect(zoomSessionName('Ab-_9xYz', () => '0123456789ab')).to.equal('Ab-_9xYz-0123456789ab');
    expect(zoomSessionName('same')).not.to.equal(zoomSessionName('same'));
  });

  it('uses only letters, digits, - and _, within 200 characters, whatever the link id', () => {
    for (const link of ['a b/c?d', 'é😀', 'x'.repeat(500), '']) {
      const name = zoomSessionName(link);
      expect(name).to.match(/^[A-Za-z0-9_-]+$/);
      expect(name.length).to.be.belowOrEqual(ZOOM_SESSION_NAME_MAX_CHARS);
    }
  });

  it('encodes an id once, and twice only when it begins with / or contains //', () => {
    expect(zoomPathSegment('abc+d/e==')).to.equal('abc%2Bd%2Fe%3D%3D');
    expect(zoomPathSegment('/abc==')).to.equal('%252Fabc%253D%253D');
    expect(zoomPathSegment('ab//c')).to.equal('ab%252F%252Fc');
    expect(zoomPathSegment('plain')).to.equal('plain');
  });
});
