// Typed helpers over an Engine for the module's test-facing exports.
import type { Engine } from "../../host/node/engine.ts";

export class Module {
  private io = 0;
  private ioSize = 0;
  constructor(readonly engine: Engine) {}

  async init(): Promise<this> {
    this.io = Number((await this.engine.call("io_buffer")).value);
    this.ioSize = Number((await this.engine.call("io_size")).value);
    return this;
  }

  // Calls an export that returns a status; throws unless it is 0.
  async ok(fn: string, ...args: number[]): Promise<number> {
    const r = await this.engine.call(fn, ...args);
    if (r.value !== 0) throw new Error(`${fn} returned ${r.value}`);
    return r.instructions;
  }

  // SHA-256 of the concatenated chunks, fed one update per chunk.
  async sha256(chunks: Uint8Array[]): Promise<Uint8Array> {
    const ctx = this.io, out = this.io + 128, data = this.io + 256, cap = this.ioSize - 256;
    await this.ok("sha256_init", ctx);
    for (const c of chunks) {
      for (let off = 0; off < c.length; off += cap) {
        const part = c.subarray(off, off + cap);
        await this.engine.write(data, part);
        await this.ok("sha256_update", ctx, data, part.length);
      }
    }
    await this.ok("sha256_final", ctx, out);
    return this.engine.read(out, 32);
  }
}
