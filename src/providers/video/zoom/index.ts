export {ZoomVideoProvider, ZOOM_CAPABILITIES} from './zoom-video.provider';
export {validateZoomOptions} from './zoom.options';
export type {ZoomProviderOptions} from './zoom.options';
export {zoomRegistration} from './zoom.registration';
