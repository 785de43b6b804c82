// The module's exports: the app entry and the primitives the host drives in
// tests and benchmarks. Each area keeps its exports in exports/<area>.ts.
// Every export that takes pointers checks them (inMemory) and returns a status:
// 0 for success, a negative error code otherwise (see errors.ts).
export { main } from "./app/main";
export * from "./exports/io";
export * from "./exports/hash";
export * from "./exports/aead";
export * from "./exports/curve25519";
export * from "./exports/ec";
export * from "./exports/net";
export * from "./exports/x509";
export * from "./exports/tls";
export * from "./exports/api";
