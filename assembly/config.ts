// Build profiles, chosen at build time (make PROFILE=device|full):
//   device  the smallest set that still validates a real server (the default)
//   full    everything the TLS and certificate code offers
// PROFILE_FULL comes from `asc --use PROFILE_FULL=0|1` (the Makefile passes
// it). --use turns the undeclared global into a compile-time constant, so
// `if (FULL) { ... }` compiles the block out of the device profile. (Not
// `declare const`: that would become an import.) Builds without --use
// (standalone asc runs) get the device profile: a standalone build that
// tests full-profile features needs `--use PROFILE_FULL=1`, as the release
// module (Makefile) and as-pect (as-pect.asconfig.json) have.
// @ts-ignore: PROFILE_FULL is defined by --use, if at all
export const FULL: bool = isDefined(PROFILE_FULL) && PROFILE_FULL != 0;
