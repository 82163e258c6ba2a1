import {expect} from '@loopback/testlab';
import {Permission} from '../../auth/permissions';
import {setupApplication, TestApp} from '../helpers/app.helper';
import {givenEmptyDatabase} from '../helpers/database.helper';
import {auditOf, eventsOf, LIVE_PROVIDERS, LivePlayer, until, who} from '../helpers/live.helper';

/** Recordings started, stopped, paused and laid out by hand, on Vonage and on Zoom, against their emulators. */
describe('Recordings on demand (acceptance)', () => {
  let t: TestApp;
  const admin = () => who('admin');

  before(async () => {
    t = await setupApplication({zoom: true});
  });
  after(async () => t?.stop());
  beforeEach(givenEmptyDatabase);

  for (const provider of LIVE_PROVIDERS) {
    describe(`on ${provider}`, () => {
      const player = () => new LivePlayer(t, provider);
      beforeEach(() => player().reset());

      it('starts a recording once someone joined (201, started), refuses a second, stops it once; each event written once', async () => {
        const {code} = await player().createMeeting();
        const early = await t.client.post(`/session/${code}/archives`).set(admin()).send({}).expect(409);
        expect(early.body.error.message).to.match(/Nobody has joined/);
        await player().join(code, 'alice');

        const started = (await t.client.post(`/session/${code}/archives`).set(admin()).send({name: 'by hand'}).expect(201)).body;
        expect(started).to.containEql({status: 'started', meetingLinkId: code, provider});
        const again = await t.client.post(`/session/${code}/archives`).set(admin()).send({}).expect(409);
        expect(again.body.error.message).to.match(/already being recorded/);
        expect(await auditOf('archive.start')).to.have.length(1);

        const stopped = (
          await t.client
            .post(`/archives/${encodeURIComponent(started.id)}/stop`)
            .set(admin())
            .expect(200)
        ).body;
        expect(stopped.id).to.equal(started.id);
        expect(['stopped', 'uploaded', 'available']).to.containEql(stopped.status);
        const twice = await t.client
          .post(`/archives/${encodeURIComponent(started.id)}/stop`)
          .set(admin())
          .expect(409);
        expect(twice.body.error.message).to.match(/not recording/);
        expect(await auditOf('archive.stop')).to.have.length(1);
        // Our call and the provider's callback both reported each change: one event each.
        await until(async () => (await eventsOf(code, 'archive.stopped')).length === 1, 'archive.stopped');
        expect(await eventsOf(code, 'archive.started')).to.have.length(1);
        expect((await eventsOf(code, 'archive.started'))[0].actor).to.be.oneOf('admin', `provider:${provider}`);
      });

      it('refuses an ended meeting (409), an unknown meeting or archive (404) and a caller without the permission (403)', async () => {
        const {code} = await player().createMeeting();
        await player().join(code, 'alice');
        await t.client
          .post(`/session/${code}/archives`)
          .set(who('bob', [Permission.GenerateMeetingToken]))
          .send({})
          .expect(403);
        await t.client.post('/session/no-such-meeting/archives').set(admin()).send({}).expect(404);
        await t.client.post('/archives/no-such-archive/stop').set(admin()).expect(404);
        await t.client.post(`/session/${code}/archives`).set(admin()).send({resolution: '1x1'}).expect(422);
        await t.client.patch(`/session/${code}/end`).set(admin()).expect(204);
        const ended = await t.client.post(`/session/${code}/archives`).set(admin()).send({}).expect(409);
        expect(ended.body.error.message).to.match(/ended/);
      });
    });
  }

  it('Vonage: pause and resume answer 400 naming the provider; the layout changes while recording, then 409', async () => {
    const player = new LivePlayer(t, 'vonage');
    player.reset();
    const {code} = await player.createMeeting();
    await player.join(code, 'alice');
    const started = (
      await t.client
        .post(`/session/${code}/archives`)
        .set(admin())
        .send({layout: {type: 'pip'}, resolution: '1280x720', hasAudio: true})
        .expect(201)
    ).body;
    const pause = await t.client
      .post(`/archives/${encodeURIComponent(started.id)}/pause`)
      .set(admin())
      .expect(400);
    expect(pause.body.error.message).to.match(/"vonage".*pauseRecording/);
    await t.client
      .post(`/archives/${encodeURIComponent(started.id)}/resume`)
      .set(admin())
      .expect(400);

    const css = 'stream.instructor {position: absolute; width: 100%; height: 50%;}';
    await t.client
      .patch(`/archives/${encodeURIComponent(started.id)}/layout`)
      .set(admin())
      .send({type: 'custom', stylesheet: css})
      .expect(200);
    const archives = (await player.state()).archives as Array<{id: string; layout: object}>;
    expect(archives.find(a => a.id === started.id)!.layout).to.eql({type: 'custom', stylesheet: css});
    await t.client
      .patch(`/archives/${encodeURIComponent(started.id)}/layout`)
      .set(admin())
      .send({type: 'custom'})
      .expect(400);
    expect(await auditOf('archive.layout')).to.have.length(1);

    await t.client
      .post(`/archives/${encodeURIComponent(started.id)}/stop`)
      .set(admin())
      .expect(200);
    await t.client
      .patch(`/archives/${encodeURIComponent(started.id)}/layout`)
      .set(admin())
      .send({type: 'bestFit'})
      .expect(409);
  });

  it('Vonage: an end-to-end encrypted meeting cannot be recorded (409)', async () => {
    const player = new LivePlayer(t, 'vonage');
    player.reset();
    const {code} = await player.createMeeting({endToEndEncryption: true});
    await player.join(code, 'alice');
    const refused = await t.client.post(`/session/${code}/archives`).set(admin()).send({}).expect(409);
    expect(refused.body.error.message).to.match(/end-to-end encrypted/);
  });

  it('Zoom: pauses and resumes (events once each), and a layout answers 400 naming the provider', async () => {
    const player = new LivePlayer(t, 'zoom');
    player.reset();
    const {code} = await player.createMeeting();
    await player.join(code, 'alice');
    const started = (await t.client.post(`/session/${code}/archives`).set(admin()).send({}).expect(201)).body;
    const layout = await t.client
      .patch(`/archives/${encodeURIComponent(started.id)}/layout`)
      .set(admin())
      .send({type: 'pip'})
      .expect(400);
    expect(layout.body.error.message).to.match(/"zoom".*recordingLayout/);
    const refusedLayout = await t.client
      .post(`/session/${code}/archives`)
      .set(admin())
      .send({layout: {type: 'pip'}})
      .expect(400);
    expect(refusedLayout.body.error.message).to.match(/"zoom"/);

    expect(
      (
        await t.client
          .post(`/archives/${encodeURIComponent(started.id)}/pause`)
          .set(admin())
          .expect(200)
      ).body.status,
    ).to.equal('paused');
    await t.client
      .post(`/archives/${encodeURIComponent(started.id)}/pause`)
      .set(admin())
      .expect(409);
    expect(
      (
        await t.client
          .post(`/archives/${encodeURIComponent(started.id)}/resume`)
          .set(admin())
          .expect(200)
      ).body.status,
    ).to.equal('started');
    await t.client
      .post(`/archives/${encodeURIComponent(started.id)}/resume`)
      .set(admin())
      .expect(409);
    expect(await eventsOf(code, 'archive.paused')).to.have.length(1);
    expect(await eventsOf(code, 'archive.started')).to.have.length(2);
    const instances = ((await player.state()).sessions as Array<{instances: Array<{recording: {state: string}}>}>)[0].instances;
    expect(instances[0].recording.state).to.equal('recording');
  });
});
