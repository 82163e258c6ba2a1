export {ZoomVideoEmulator} from './zoom-emulator';
export type {ZoomEmulatorOptions, ZoomRecordedRequest} from './zoom-emulator';
export {ZOOM_TIMING} from './zoom-session-flow';
export type {ZoomEmulatorTiming} from './zoom-session-flow';
