// Constant byte strings of the TLS 1.3 client: HKDF labels (without the
// "tls13 " prefix, which hkdfExpandLabel adds), the server CertificateVerify
// context string (the client one differs by the word "client"), the
// HelloRetryRequest random and the downgrade sentinel prefix. One data blob;
// offsets and lengths are constants.
// RAM: 197 bytes of data segment.
export const LABELS: usize = memory.data<u8>([
  100, 101, 114, 105, 118, 101, 100, 99, 32, 104, 115, 32, 116, 114, 97, 102, 102, 105, 99, 115, 32, 104, 115, 32, 
  116, 114, 97, 102, 102, 105, 99, 99, 32, 97, 112, 32, 116, 114, 97, 102, 102, 105, 99, 115, 32, 97, 112, 32, 
  116, 114, 97, 102, 102, 105, 99, 114, 101, 115, 32, 109, 97, 115, 116, 101, 114, 107, 101, 121, 105, 118, 102, 105, 
  110, 105, 115, 104, 101, 100, 116, 114, 97, 102, 102, 105, 99, 32, 117, 112, 100, 114, 101, 115, 117, 109, 112, 116, 
  105, 111, 110, 114, 101, 115, 32, 98, 105, 110, 100, 101, 114, 101, 120, 116, 32, 98, 105, 110, 100, 101, 114, 84, 
  76, 83, 32, 49, 46, 51, 44, 32, 115, 101, 114, 118, 101, 114, 32, 67, 101, 114, 116, 105, 102, 105, 99, 97, 
  116, 101, 86, 101, 114, 105, 102, 121, 99, 108, 105, 101, 110, 116, 207, 33, 173, 116, 229, 154, 97, 17, 190, 29, 
  140, 2, 30, 101, 184, 145, 194, 162, 17, 22, 122, 187, 140, 94, 7, 158, 9, 226, 200, 168, 51, 156, 68, 79, 
  87, 78, 71, 82, 68,
]);
export const L_DERIVED: usize = LABELS + 0; export const L_DERIVED_LEN: usize = 7;   // "derived"
export const L_C_HS: usize = LABELS + 7; export const L_C_HS_LEN: usize = 12;   // "c hs traffic"
export const L_S_HS: usize = LABELS + 19; export const L_S_HS_LEN: usize = 12;   // "s hs traffic"
export const L_C_AP: usize = LABELS + 31; export const L_C_AP_LEN: usize = 12;   // "c ap traffic"
export const L_S_AP: usize = LABELS + 43; export const L_S_AP_LEN: usize = 12;   // "s ap traffic"
export const L_RES_MASTER: usize = LABELS + 55; export const L_RES_MASTER_LEN: usize = 10;   // "res master"
export const L_KEY: usize = LABELS + 65; export const L_KEY_LEN: usize = 3;   // "key"
export const L_IV: usize = LABELS + 68; export const L_IV_LEN: usize = 2;   // "iv"
export const L_FINISHED: usize = LABELS + 70; export const L_FINISHED_LEN: usize = 8;   // "finished"
export const L_TRAFFIC_UPD: usize = LABELS + 78; export const L_TRAFFIC_UPD_LEN: usize = 11;   // "traffic upd"
export const L_RESUMPTION: usize = LABELS + 89; export const L_RESUMPTION_LEN: usize = 10;   // "resumption"
export const L_RES_BINDER: usize = LABELS + 99; export const L_RES_BINDER_LEN: usize = 10;   // "res binder"
export const L_EXT_BINDER: usize = LABELS + 109; export const L_EXT_BINDER_LEN: usize = 10;   // "ext binder"
export const L_CV_SERVER: usize = LABELS + 119; export const L_CV_SERVER_LEN: usize = 33;   // "TLS 1.3, server CertificateVerify"
export const L_CLIENT: usize = LABELS + 152; export const L_CLIENT_LEN: usize = 6;   // "client"
export const HRR_RANDOM: usize = LABELS + 158;   // SHA-256("HelloRetryRequest"), RFC 8446 4.1.3
export const DOWNGRD: usize = LABELS + 190;   // "DOWNGRD", the first 7 bytes of both sentinels
