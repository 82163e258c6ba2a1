import {expect} from '@loopback/testlab';
import {methodLabel, RouteTemplates, statusClass, UNMATCHED_ROUTE} from '../../../metrics/route-templates';

describe('Route templates and status classes for metric labels (unit)', () => {
  const routes = new RouteTemplates([
    '/session',
    '/session/{meetingLinkId}',
    '/session/{meetingLinkId}/token',
    '/session/{meetingLinkId}/attendees',
    '/archives',
    '/archives/{archiveId}',
    '/archives/storage-target',
    '/webhooks/{provider}',
    '/webhooks/{provider}/{kind}',
    '/health',
  ]);

  const cases: Array<[string, string]> = [
    ['/session', '/session'],
    ['/session/AbC-12_xYz09abcd', '/session/{meetingLinkId}'],
    ['/session/AbC-12_xYz09abcd/token', '/session/{meetingLinkId}/token'],
    ['/session/x/attendees?limit=100', '/session/{meetingLinkId}/attendees'],
    ['/archives/storage-target', '/archives/storage-target'],
    ['/archives/8d3b2c1a-0000-4000-8000-000000000000', '/archives/{archiveId}'],
    ['/webhooks/session', '/webhooks/{provider}'],
    ['/webhooks/vonage/archive', '/webhooks/{provider}/{kind}'],
    ['/health?verbose', '/health'],
  ];
  for (const [url, template] of cases) {
    it(`labels ${url} with ${template}`, () => {
      expect(routes.matchUrl(url)).to.equal(template);
    });
  }

  it('labels every path no route serves with one fixed value, never the path', () => {
    for (const url of ['/', '/nope', '/session/a/b/c', '/session/abc/token/extra', '/%00', '/'.padEnd(5000, 'x')]) {
      expect(routes.matchUrl(url)).to.equal(UNMATCHED_ROUTE);
    }
  });

  it('prefers a literal segment to a parameter, whatever order the routes come in', () => {
    const reversed = new RouteTemplates(['/archives/{archiveId}', '/a/{x}/b', '/a/{x}/{y}', '/archives/storage-target']);
    expect(reversed.match('/archives/storage-target')).to.equal('/archives/storage-target');
    expect(reversed.match('/a/1/b')).to.equal('/a/{x}/b');
    expect(reversed.match('/a/1/c')).to.equal('/a/{x}/{y}');
  });

  it('maps statuses to their class, and an answer never sent to `aborted`', () => {
    expect([101, 200, 204, 302, 400, 404, 422, 500, 503].map(status => statusClass(status))).to.eql([
      '1xx',
      '2xx',
      '2xx',
      '3xx',
      '4xx',
      '4xx',
      '4xx',
      '5xx',
      '5xx',
    ]);
    expect(statusClass(0)).to.equal('other');
    expect(statusClass(700)).to.equal('other');
    expect(statusClass(200, false)).to.equal('aborted');
  });

  it('keeps the standard methods and folds any other token into `other`', () => {
    expect(['GET', 'POST', 'PUT', 'PATCH', 'DELETE', 'HEAD', 'OPTIONS'].map(methodLabel)).to.eql(['GET', 'POST', 'PUT', 'PATCH', 'DELETE', 'HEAD', 'OPTIONS']);
    expect(methodLabel('PROPFIND')).to.equal('other');
    expect(methodLabel('get')).to.equal('other');
    expect(methodLabel(undefined)).to.equal('other');
  });
});
