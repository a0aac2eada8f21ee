// Where a travelling dot is: a point a fraction of the way along a polyline, by length. Pure (tested).

export interface Pt {
  x: number;
  y: number;
}

export function along(points: Pt[], f: number): Pt {
  const seg: number[] = [];
  for (let i = 1; i < points.length; i++) seg.push(Math.hypot(points[i]!.x - points[i - 1]!.x, points[i]!.y - points[i - 1]!.y));
  const total = seg.reduce((a, b) => a + b, 0);
  if (total === 0) return points[points.length - 1] ?? { x: 0, y: 0 };
  let left = Math.max(0, Math.min(1, f)) * total;
  for (let i = 0; i < seg.length; i++) {
    if (left <= seg[i]! || i === seg.length - 1) {
      const t = seg[i]! === 0 ? 1 : Math.min(1, left / seg[i]!);
      const a = points[i]!;
      const b = points[i + 1]!;
      return { x: a.x + (b.x - a.x) * t, y: a.y + (b.y - a.y) * t };
    }
    left -= seg[i]!;
  }
  return points[points.length - 1]!;
}
