/**
 * Binary search in an ascending array, over the half-open index range [first, last).
 *
 *   lowerBound(a, v) = the first index i with a[i] >= v  (number of elements < v, plus first)
 *   upperBound(a, v) = the first index i with a[i] >  v  (number of elements <= v, plus first)
 *
 * Both return `last` when no element qualifies, as C++'s std::lower_bound / std::upper_bound.
 * Example: lowerBound([1, 2, 2, 3], 2) = 1; upperBound([1, 2, 2, 3], 2) = 3.
 */

export function lowerBound(sorted: Float64Array, value: number, first = 0, last = sorted.length): number {
  let lo = first;
  let hi = last;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (sorted[mid]! < value) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

export function upperBound(sorted: Float64Array, value: number, first = 0, last = sorted.length): number {
  let lo = first;
  let hi = last;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (sorted[mid]! <= value) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}
