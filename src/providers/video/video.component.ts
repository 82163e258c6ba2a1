import {Component} from '@loopback/core';
import {videoProviderBinding} from './provider-registration';
import {vonageRegistration} from './vonage';
import {zoomRegistration} from './zoom';

/** The one place that names the video providers; a new provider adds its registration here. */
export class VideoComponent implements Component {
  bindings = [vonageRegistration, zoomRegistration].map(videoProviderBinding);
}
