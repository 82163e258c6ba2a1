import {expect} from '@loopback/testlab';
import {fastLane, fastLaneMethods} from '../../../http/fast-lane/fast-lane.decorator';
import {FastLaneProbeController} from '../../fixtures/fast-lane.controllers';

describe('@fastLane() (unit)', () => {
  it('marks the decorated methods and no others', () => {
    expect(fastLaneMethods(FastLaneProbeController)).to.eql(['fast']);
  });

  it('is inherited with the method', () => {
    class Derived extends FastLaneProbeController {}
    expect(fastLaneMethods(Derived)).to.eql(['fast']);
  });

  it('finds nothing on a controller without it', () => {
    class Plain {
      async list(): Promise<void> {}
    }
    expect(fastLaneMethods(Plain)).to.eql([]);
  });

  it('refuses to be applied twice to one method', () => {
    expect(() => {
      class Twice {
        @fastLane()
        @fastLane()
        async list(): Promise<void> {}
      }
      return Twice;
    }).to.throw(/@fastLane cannot be applied more than once/);
  });
});
