export const INT16_MIN = -0x8000;
export const INT16_MAX = 0x7fff;
export const INT32_MIN = -0x8000_0000;
export const INT32_MAX = 0x7fff_ffff;
export const INT64_MIN = -(2n ** 63n);
export const INT64_MAX = 2n ** 63n - 1n;

export function isInt(value: number, min: number, max: number): boolean {
  return Number.isInteger(value) && value >= min && value <= max;
}

export function isInt64(value: bigint): boolean {
  return value >= INT64_MIN && value <= INT64_MAX;
}
