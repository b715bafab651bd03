let taxSeed = 0;

/** A fresh valid Vietnamese tax code on every call (check digit computed), so test parties never collide. */
export function freshTaxCode(offset = 0): string {
  const weights = [31, 29, 23, 19, 17, 13, 7, 5, 3];
  for (;;) {
    const nine = String(500_000_000 + offset * 1_000_003 + taxSeed++ * 7919).slice(-9);
    const check = 10 - ([...nine].reduce((a, d, i) => a + Number(d) * (weights[i] ?? 0), 0) % 11);
    // Digits 3–9 all zero are never issued; a computed 10 has no valid check digit.
    if (check <= 9 && nine.slice(2) !== "0000000") return `${nine}${check}`;
  }
}
