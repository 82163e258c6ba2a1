import {ConfigError, ServiceConfig} from '../../config/service-config';
import type {VideoProvider} from './types';
import {VonageVideoProvider} from './vonage';

type ProviderFactory = (config: ServiceConfig) => VideoProvider;

/** Every implementation, by the name `VIDEO_PROVIDER` selects. Adding Zoom adds a line here. */
const VIDEO_PROVIDERS: Readonly<Record<string, ProviderFactory>> = {
  vonage: config => {
    if (!config.vonage) throw new ConfigError('VONAGE_APPLICATION_ID', 'is required for VIDEO_PROVIDER=vonage');
    return new VonageVideoProvider({...config.vonage, signingThreads: config.tokenSigningThreads});
  },
};

/** Fails at startup when no implementation has the configured name. */
export function createVideoProvider(config: ServiceConfig): VideoProvider {
  const factory = VIDEO_PROVIDERS[config.videoProvider];
  if (!factory) throw new ConfigError('VIDEO_PROVIDER', `names no known provider (known: ${Object.keys(VIDEO_PROVIDERS).join(', ')})`);
  return factory(config);
}
