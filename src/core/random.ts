/**
 * Seeded pseudo-random numbers for everything that draws: the synthetic PUF generator, the
 * bootstrap, random-order matching and the simulations.
 *
 * Inputs: an integer seed (any JavaScript number; only its low 53 bits matter).
 * Outputs: a stream of uniforms in [0, 1) and the derived draws the generator needs
 * (normal, exponential, Weibull, gamma-free integer ranges, categorical by cumulative weights).
 * Method: xoshiro128** (Blackman & Vigna, "Scrambled linear pseudorandom number generators",
 * 2018) on four 32-bit words, seeded through splitmix32 so that nearby seeds give unrelated
 * streams. 32-bit words keep every step in Math.imul / >>> arithmetic, which V8 runs without
 * boxing; two outputs make one 53-bit double so uniforms never repeat within a file.
 * Normals use the Box–Muller transform (both values used, the second cached).
 *
 * The generator is deterministic: the same seed gives the same stream on every platform, which
 * is what makes `oncosurv synth` byte-reproducible.
 */

function splitmix32(state: { s: number }): number {
  state.s = (state.s + 0x9e3779b9) | 0;
  let z = state.s;
  z = Math.imul(z ^ (z >>> 16), 0x85ebca6b);
  z = Math.imul(z ^ (z >>> 13), 0xc2b2ae35);
  return (z ^ (z >>> 16)) >>> 0;
}

export class Rng {
  private a: number;
  private b: number;
  private c: number;
  private d: number;
  private spareNormal = NaN;

  constructor(seed: number) {
    if (!Number.isFinite(seed)) throw new RangeError(`seed must be a finite number, got ${seed}`);
    // Mix both halves of the seed so that seeds above 2^32 still differ.
    const lo = Math.trunc(seed) >>> 0;
    const hi = Math.trunc(seed / 4294967296) >>> 0;
    const st = { s: lo ^ Math.imul(hi, 0x27d4eb2d) };
    this.a = splitmix32(st);
    this.b = splitmix32(st);
    this.c = splitmix32(st);
    this.d = splitmix32(st);
    if ((this.a | this.b | this.c | this.d) === 0) this.a = 1; // the all-zero state is a fixed point
  }

  /** Next raw 32-bit output (unsigned). */
  nextUint32(): number {
    const result = Math.imul(rotl(Math.imul(this.b, 5), 7), 9) >>> 0;
    const t = this.b << 9;
    this.c ^= this.a;
    this.d ^= this.b;
    this.b ^= this.c;
    this.a ^= this.d;
    this.c ^= t;
    this.d = rotl(this.d, 11);
    return result;
  }

  /** Uniform on [0, 1) with 53 random bits. */
  uniform(): number {
    const hi = this.nextUint32() >>> 5; // 27 bits
    const lo = this.nextUint32() >>> 6; // 26 bits
    return (hi * 67108864 + lo) / 9007199254740992;
  }

  /** True with probability p. */
  bernoulli(p: number): boolean {
    return this.uniform() < p;
  }

  /** Integer uniform on [lo, hi] inclusive. */
  int(lo: number, hi: number): number {
    return lo + Math.floor(this.uniform() * (hi - lo + 1));
  }

  /** Standard normal (Box–Muller; the second value of each pair is kept for the next call). */
  normal(): number {
    if (!Number.isNaN(this.spareNormal)) {
      const z = this.spareNormal;
      this.spareNormal = NaN;
      return z;
    }
    let u = this.uniform();
    while (u === 0) u = this.uniform();
    const v = this.uniform();
    const r = Math.sqrt(-2 * Math.log(u));
    this.spareNormal = r * Math.sin(2 * Math.PI * v);
    return r * Math.cos(2 * Math.PI * v);
  }

  /** Exponential with the given rate (mean 1/rate), by inversion. */
  exponential(rate: number): number {
    return -Math.log1p(-this.uniform()) / rate;
  }

  /**
   * Index drawn with probabilities proportional to the weights whose running sums are in
   * `cumulative` (as made by `cumulativeWeights`). Linear scan: the tables here are short.
   */
  categorical(cumulative: Float64Array): number {
    const u = this.uniform() * cumulative[cumulative.length - 1]!;
    const n = cumulative.length;
    for (let i = 0; i < n - 1; i++) if (u < cumulative[i]!) return i;
    return n - 1;
  }
}

function rotl(x: number, k: number): number {
  return (x << k) | (x >>> (32 - k));
}

/** Running sums of non-negative weights, for Rng.categorical. */
export function cumulativeWeights(weights: readonly number[]): Float64Array {
  const out = new Float64Array(weights.length);
  let s = 0;
  for (let i = 0; i < weights.length; i++) {
    const w = weights[i]!;
    if (!(w >= 0)) throw new RangeError(`weight ${i} must be >= 0, got ${w}`);
    s += w;
    out[i] = s;
  }
  if (!(s > 0)) throw new RangeError('weights must not all be zero');
  return out;
}
