import {expect, sinon} from '@loopback/testlab';
import {FastLane} from '../../http/fast-lane/fast-lane';
import {FastLaneProbeController} from '../fixtures/fast-lane.controllers';
import {setupApplication, TestApp} from '../helpers/app.helper';

describe('Fast lane: finds the @fastLane() methods of the bound controllers at start (acceptance)', () => {
  let t: TestApp;
  let tryHandle: sinon.SinonSpy;

  before(async () => {
    t = await setupApplication({controllers: [FastLaneProbeController]});
  });
  after(async () => t?.stop());
  beforeEach(() => (tryHandle = sinon.spy(FastLane.prototype, 'tryHandle')));
  afterEach(() => tryHandle.restore());

  it('serves a decorated method of a controller it was never told about', async () => {
    const res = await t.client.get('/probe/fast').expect(200);
    expect(res.body).to.eql({answer: 'fast'});
    expect(tryHandle.returnValues).to.eql([true]);
  });

  it('leaves an undecorated method of the same controller to LoopBack', async () => {
    const res = await t.client.get('/probe/plain').expect(200);
    expect(res.body).to.eql({answer: 'plain'});
    expect(tryHandle.returnValues).to.eql([false]);
  });
});
