import type {VideoProviderRegistration} from '../provider-registration';
import {ZoomVideoProvider} from './zoom-video.provider';

/** Zoom Video SDK, configured by the `ZOOM_*` variables (or the local emulator in zero-config mode). Webhooks: `/webhooks/zoom`. */
export const zoomRegistration: VideoProviderRegistration = {
  name: 'zoom',
  requiredVariable: 'ZOOM_SDK_KEY',
  create: (config, clock) => {
    const zoom = config.video.zoom;
    if (!zoom) return null;
    return new ZoomVideoProvider({
      ...zoom,
      webhookToleranceSeconds: config.webhooks.toleranceSeconds,
      s3Region: config.storage.awsRegion,
      now: () => clock.now().getTime(),
    });
  },
};
