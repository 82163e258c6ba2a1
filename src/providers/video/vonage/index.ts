export {VonageVideoProvider} from './vonage-video.provider';
export {validateVonageOptions} from './vonage.options';
export type {VonageProviderOptions} from './vonage.options';
