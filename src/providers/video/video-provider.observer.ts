import {inject, lifeCycleObserver, LifeCycleObserver} from '@loopback/core';
import {VideoBindings} from '../../keys';
import type {VideoProviders} from './video-providers';

/**
 * Builds the providers first thing at start, so a provider that cannot be configured stops the
 * start naming its variable; releases what they hold once requests and jobs have stopped.
 */
@lifeCycleObserver('datasource')
export class VideoProviderObserver implements LifeCycleObserver {
  constructor(@inject(VideoBindings.PROVIDERS) private readonly providers: VideoProviders) {}

  start(): void {
    // Resolving the binding built them; nothing else to do.
  }

  async stop(): Promise<void> {
    await this.providers.close();
  }
}
