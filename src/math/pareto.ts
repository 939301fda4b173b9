/**
 * @module Ranking of points with several objectives, best first: Pareto fronts, each ordered by crowding distance.
 *
 * Multi-objective TPE takes its "below" group from the top of this order: the best fronts, and within the last
 * front it reaches, the most spread-out points (the extremes of each objective first), as NSGA-II selects; the
 * successive-halving pruners promote from its top at a rung of a multi-objective study (MO-ASHA).
 */

/** Whether `a` dominates `b` (objectives to minimise): no worse in any, better in at least one. */
export function dominates(a: readonly number[], b: readonly number[]): boolean {
  let strictly = false;
  for (let m = 0; m < a.length; m++) {
    if (a[m]! > b[m]!) return false;
    if (a[m]! < b[m]!) strictly = true;
  }
  return strictly;
}

/**
 * Indices of points (objectives to minimise) best first: by non-domination front, within a front by crowding
 * distance (largest first; the extremes of each objective are infinitely far), then by index.
 */
export function paretoOrder(points: readonly (readonly number[])[]): number[] {
  const n = points.length;
  // Deb's fast non-dominated sort.
  const dominatedCount = new Int32Array(n);
  const dominatedBy: number[][] = points.map(() => []);
  for (let i = 0; i < n; i++) {
    for (let j = i + 1; j < n; j++) {
      if (dominates(points[i]!, points[j]!)) {
        dominatedBy[i]!.push(j);
        dominatedCount[j]!++;
      } else if (dominates(points[j]!, points[i]!)) {
        dominatedBy[j]!.push(i);
        dominatedCount[i]!++;
      }
    }
  }
  const order: number[] = [];
  let front = points.map((_, i) => i).filter((i) => dominatedCount[i] === 0);
  while (front.length > 0) {
    const crowding = crowdingDistances(front.map((i) => points[i]!));
    order.push(...front.map((index, k) => ({ index, distance: crowding[k]! })).sort((a, b) => b.distance - a.distance || a.index - b.index).map((e) => e.index));
    const next: number[] = [];
    for (const i of front) {
      for (const j of dominatedBy[i]!) if (--dominatedCount[j]! === 0) next.push(j);
    }
    front = next.sort((a, b) => a - b);
  }
  return order;
}

/** NSGA-II crowding distance of each point of one front. */
function crowdingDistances(front: readonly (readonly number[])[]): Float64Array {
  const distance = new Float64Array(front.length);
  if (front.length === 0) return distance;
  for (let m = 0; m < front[0]!.length; m++) {
    const order = front.map((_, i) => i).sort((a, b) => front[a]![m]! - front[b]![m]! || a - b);
    const low = front[order[0]!]![m]!;
    const high = front[order[order.length - 1]!]![m]!;
    distance[order[0]!] = Infinity;
    distance[order[order.length - 1]!] = Infinity;
    if (high === low) continue;
    for (let r = 1; r < order.length - 1; r++) {
      distance[order[r]!]! += (front[order[r + 1]!]![m]! - front[order[r - 1]!]![m]!) / (high - low);
    }
  }
  return distance;
}
