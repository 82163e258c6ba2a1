import {Constructor, MetadataAccessor, MetadataInspector, MethodDecoratorFactory} from '@loopback/core';

/**
 * Empty: opting in is the whole statement, the lane reads every other rule from LoopBack's own
 * decorators. An object rather than `true` so LoopBack can tell a second `@fastLane()` on a method.
 */
export type FastLaneMetadata = Record<string, never>;

export const FAST_LANE_METADATA = MetadataAccessor.create<FastLaneMetadata, MethodDecorator>('http:fast-lane');

/**
 * Serves this controller method in the fast lane (src/http/fast-lane) instead of LoopBack's full
 * sequence: for the routes that carry most of the traffic, where LoopBack's per-request machinery
 * costs more than the work. The lane finds it by this metadata when the server starts, and refuses
 * to start if it cannot answer the method exactly as LoopBack would (see FastLane.create).
 */
export function fastLane(): MethodDecorator {
  return MethodDecoratorFactory.createDecorator<FastLaneMetadata>(FAST_LANE_METADATA, {}, {decoratorName: '@fastLane'});
}

/** The names of the controller's methods (own or inherited) decorated with `@fastLane()`. */
export function fastLaneMethods(controller: Constructor<object>): string[] {
  return Object.keys(MetadataInspector.getAllMethodMetadata(FAST_LANE_METADATA, controller.prototype) ?? {});
}
