import {expect} from '@loopback/testlab';
import {ValidationError} from '../../../errors/domain-errors';
import {planPresenceRepair} from '../../../services/presence/presence-repair';
import {parseLayout, parseStartRecording} from '../../../services/archives/recording-input';
import {parseExcludeAttendees, parseSignal} from '../../../services/meetings/moderation-input';

describe('live control: pure mapping (unit)', () => {
  const at = (s: number) => new Date(Date.UTC(2026, 11, 1, 12, 0, s));

  describe('planPresenceRepair', () => {
    const open = [
      {attendee: 'alice', connectionId: 'c1', mediaIds: [], connectedAt: at(0)},
      {attendee: 'bob', connectionId: 'c2', mediaIds: [], connectedAt: at(0)},
      {attendee: 'carol', connectionId: 'c3', mediaIds: [], connectedAt: at(30)},
    ];
    const cases: Array<[string, Parameters<typeof planPresenceRepair>[0], ReturnType<typeof planPresenceRepair>]> = [
      [
        'nothing differs',
        {open: open.slice(0, 1), known: new Set(['c1']), participants: [{participantId: 'c1', state: 'connected', identity: null}], listedAt: at(10)},
        {left: [], joined: []},
      ],
      [
        'an open connection the provider no longer has left; one opened after the list was read stays',
        {open, known: new Set(['c1', 'c2', 'c3']), participants: [{participantId: 'c1', state: 'connected', identity: null}], listedAt: at(10)},
        {left: [{attendee: 'bob', connectionId: 'c2'}], joined: []},
      ],
      [
        'a disconnected participant counts as gone',
        {open: open.slice(0, 1), known: new Set(['c1']), participants: [{participantId: 'c1', state: 'disconnected', identity: null}], listedAt: at(10)},
        {left: [{attendee: 'alice', connectionId: 'c1'}], joined: []},
      ],
      [
        'an unseen participant joins only with an identity; a known closed one stays closed',
        {
          open: [],
          known: new Set(['old']),
          participants: [
            {participantId: 'new', state: 'connected', identity: {joinKey: 'k'}},
            {participantId: 'anon', state: 'connected', identity: null},
            {participantId: 'old', state: 'connected', identity: {joinKey: 'k2'}},
            {participantId: 'coming', state: 'connecting', identity: {joinKey: 'k3'}},
          ],
          listedAt: at(10),
        },
        {left: [], joined: [{participantId: 'new', identity: {joinKey: 'k'}}]},
      ],
    ];
    for (const [name, input, expected] of cases) {
      it(name, () => expect(planPresenceRepair(input)).to.eql(expected));
    }
  });

  describe('recording and moderation input', () => {
    it('accepts the documented fields and refuses contradictions', () => {
      expect(parseStartRecording(undefined)).to.eql({});
      expect(parseStartRecording({name: 'n', layout: {type: 'pip'}, resolution: '1280x720', hasAudio: true})).to.eql({
        name: 'n',
        layout: {type: 'pip'},
        resolution: '1280x720',
        hasAudio: true,
      });
      for (const bad of [{hasAudio: false, hasVideo: false}, {resolution: '1x1'}, {layout: {type: 'pip'}, outputMode: 'individual'}, {outputMode: 'x'}]) {
        expect(() => parseStartRecording(bad)).to.throw(ValidationError);
      }
      expect(parseLayout({type: 'custom', stylesheet: 'a{}'})).to.eql({type: 'custom', stylesheet: 'a{}'});
      expect(() => parseLayout({type: 'custom'})).to.throw(/stylesheet is required/);
      expect(() => parseLayout({type: 'pip', stylesheet: 'a{}'})).to.throw(/only for layout.type custom/);
    });

    it('checks signals and exclusions', () => {
      expect(parseSignal({type: 'chat', data: 'hi', attendee: 'a'})).to.eql({type: 'chat', data: 'hi', attendee: 'a'});
      expect(() => parseSignal({type: 'no spaces', data: ''})).to.throw(ValidationError);
      expect(() => parseSignal({type: 'chat', data: 'x'.repeat(8193)})).to.throw(/8192 bytes/);
      expect(parseExcludeAttendees(undefined)).to.eql([]);
      expect(() => parseExcludeAttendees({excludeAttendees: [''] as unknown[]})).to.throw(ValidationError);
    });
  });
});
