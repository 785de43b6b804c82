// Build profiles, chosen at build time (make PROFILE=device|full):
//   device  the smallest set that still validates a real server (the default)
//   full    everything the TLS and certificate code offers
// PROFILE_FULL comes from `asc --use PROFILE_FULL=0|1` (the Makefile passes
// it). --use turns the undeclared global into a compile-time constant, so
// `if (FULL) { ... }` compiles the block out of the device profile. (Not
// `declare const`: that would become an import.) Builds without --use
// (as-pect, standalone asc runs) get the device profile.
// @ts-ignore: PROFILE_FULL is defined by --use, if at all
export const FULL: bool = isDefined(PROFILE_FULL) && PROFILE_FULL != 0;
