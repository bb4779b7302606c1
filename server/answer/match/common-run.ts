/** The longest run of characters two short texts share, and where it starts in each (quadratic: for short texts). */
export function longestCommonRun(a: string, b: string): { length: number; aStart: number; bStart: number } {
  let best = { length: 0, aStart: 0, bStart: 0 };
  for (let i = 0; i < a.length; i++)
    for (let j = 0; j < b.length; j++) {
      let k = 0;
      while (i + k < a.length && j + k < b.length && a[i + k] === b[j + k]) k++;
      if (k > best.length) best = { length: k, aStart: i, bStart: j };
    }
  return best;
}
