/**
 * Loaded before anything else. LoopBack creates `debug` loggers for every request
 * context, and each creation asks `isatty(stderr)` unless the colour choice is set:
 * about 1.5% of a join-token request. Setting it keeps debug output available.
 */
process.env.DEBUG_COLORS ??= 'false';
