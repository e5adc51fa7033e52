/**
 * CRC-32C of a record batch after a few header bytes changed, without reading the rest of the batch.
 * CRC is linear: crc(new) = crc(old) XOR crc0(old XOR new), and the XOR of the two is zero past the
 * changed bytes, so crc0 of it is crc0(changed bytes) shifted over the remaining length (x^(8n) mod P,
 * as in zlib's crc32_combine). This keeps the copier from computing a CRC over every byte it forwards.
 * Invariant: patchCrc(crc(A), A', B', n) === crc(B) whenever A and B (covered ranges of n bytes) differ
 * only inside their first A'.length bytes and A', B' are those bytes; an invalid source CRC stays
 * invalid, so the destination broker still rejects a batch corrupted on the way.
 */
const POLY = 0x82f63b78;

const TABLE = new Uint32Array(256);
for (let n = 0; n < 256; n++) {
  let c = n;
  for (let k = 0; k < 8; k++) c = c & 1 ? (c >>> 1) ^ POLY : c >>> 1;
  TABLE[n] = c >>> 0;
}

/** a(x) * b(x) mod P(x), reflected bit order. */
function multModP(a: number, b: number): number {
  let m = 0x80000000;
  let p = 0;
  for (;;) {
    if (a & m) {
      p ^= b;
      if ((a & (m - 1)) === 0) break;
    }
    m >>>= 1;
    b = b & 1 ? (b >>> 1) ^ POLY : b >>> 1;
  }
  return p >>> 0;
}

/** X2N[k] = x^(2^k) mod P. */
const X2N = new Uint32Array(32);
X2N[0] = 0x40000000;
for (let k = 1; k < 32; k++) X2N[k] = multModP(X2N[k - 1] as number, X2N[k - 1] as number);

/** x^(n * 2^k) mod P. */
function x2nModP(n: number, k: number): number {
  let p = 0x80000000;
  for (; n > 0; n = Math.floor(n / 2), k++) if (n % 2 === 1) p = multModP(X2N[k & 31] as number, p);
  return p;
}

/** The CRC of a covered range of `length` bytes whose first bytes changed from `before` to `after`. */
export function patchCrc(crc: number, before: Buffer, after: Buffer, length: number): number {
  let c = 0;
  for (let i = 0; i < before.length; i++) c = (TABLE[(c ^ ((before[i] as number) ^ (after[i] as number))) & 0xff] as number) ^ (c >>> 8);
  return (crc ^ multModP(x2nModP(length - before.length, 3), c >>> 0)) >>> 0;
}
