import type {VideoProviderRegistration} from '../provider-registration';
import {VonageVideoProvider} from './vonage-video.provider';

/** Vonage Video, configured by the `VONAGE_*` variables (or the local emulator in zero-config mode). */
export const vonageRegistration: VideoProviderRegistration = {
  name: 'vonage',
  requiredVariable: 'VONAGE_APPLICATION_ID',
  legacyWebhookPaths: ['session', 'archive'],
  create: (config, clock) => {
    const vonage = config.video.vonage;
    if (!vonage) return null;
    return new VonageVideoProvider({
      ...vonage,
      signingThreads: config.tokenSigningThreads,
      callbackToleranceSeconds: config.webhooks.toleranceSeconds,
      allowUnsignedCallbacks: config.webhooks.allowUnsigned,
      now: () => clock.now().getTime(),
    });
  },
};
