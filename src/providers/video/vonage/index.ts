export {VonageVideoProvider} from './vonage-video.provider';
export type {VonageProviderOptions} from './vonage.options';
