import {inject, lifeCycleObserver, LifeCycleObserver} from '@loopback/core';
import {VideoBindings} from '../../keys';
import type {VideoProvider} from './types';

/** Releases what the provider holds (token signing threads) once requests and jobs have stopped. */
@lifeCycleObserver('datasource')
export class VideoProviderObserver implements LifeCycleObserver {
  constructor(@inject(VideoBindings.PROVIDER) private readonly provider: VideoProvider) {}

  async stop(): Promise<void> {
    await this.provider.close?.();
  }
}
