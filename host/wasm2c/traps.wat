;; A tiny module for the wasm2c runtime's trap paths (tests/wasm2c.test.ts):
;; translated and linked into build/native-wasm2c-traps/board with the same
;; embedding and test shell as the release module.
(module
  (import "env" "log" (func $log (param i32 i32)))
  (import "env" "random_bytes" (func $random_bytes (param i32 i32)))
  (memory (export "memory") 1 1)
  (func (export "load") (param i32) (result i32) (i32.load (local.get 0)))
  (func (export "store8") (param i32 i32) (i32.store8 (local.get 0) (local.get 1)))
  (func (export "fill") (param i32 i32 i32) (memory.fill (local.get 0) (local.get 1) (local.get 2)))
  (func (export "div") (param i32 i32) (result i32) (i32.div_s (local.get 0) (local.get 1)))
  (func (export "unreachable") (unreachable))
  (func $deep (export "deep") (param i32) (result i32)
    (if (result i32) (i32.eqz (local.get 0)) (then (i32.const 0))
      (else (i32.add (i32.const 1) (call $deep (i32.sub (local.get 0) (i32.const 1)))))))
  (func (export "size") (result i32) (memory.size))
  (func (export "grow") (param i32) (result i32) (memory.grow (local.get 0)))
  (func (export "log") (param i32 i32) (call $log (local.get 0) (local.get 1)))
  (func (export "random") (param i32 i32) (call $random_bytes (local.get 0) (local.get 1)))
  (func (export "wide") (param i64) (result i64) (i64.mul (local.get 0) (i64.const 3)))
)
