/**
 * A finite number as a plain decimal string: no exponent, no thousands separators, integers without a
 * fractional part. `String(n)` already gives the shortest digits that round-trip, but switches to exponent
 * notation below 1e-6 and from 1e21 up; a 12-digit citizen ID or a phone number must never come back as
 * "1.23e+11", so the exponent is expanded here.
 */
export function plainNumber(value: number): string {
  if (!Number.isFinite(value)) throw new RangeError(`Not a finite number: ${value}`);
  if (value === 0) return "0"; // also turns -0 into "0"
  const text = String(value);
  const e = text.indexOf("e");
  if (e === -1) return text;
  const negative = text.startsWith("-");
  const mantissa = text.slice(negative ? 1 : 0, e);
  const exponent = Number(text.slice(e + 1));
  const point = mantissa.indexOf(".");
  const digits = mantissa.replace(".", "");
  const integerDigits = (point === -1 ? mantissa.length : point) + exponent;
  let plain: string;
  if (integerDigits <= 0) plain = `0.${"0".repeat(-integerDigits)}${digits}`;
  else if (integerDigits >= digits.length) plain = digits + "0".repeat(integerDigits - digits.length);
  else plain = `${digits.slice(0, integerDigits)}.${digits.slice(integerDigits)}`;
  return negative ? `-${plain}` : plain;
}

/** 20000 → "20.000": Vietnamese groups thousands with a dot; done by hand so messages do not depend on ICU data. */
export function groupThousands(value: number): string {
  return String(Math.trunc(value)).replace(/\B(?=(\d{3})+(?!\d))/g, ".");
}

const KIB = 1024;
const MIB = 1024 * 1024;

/** A byte limit for a message: "10 MB", "1,5 MB", "512 KB" (decimal comma, as Vietnamese writes it). */
export function formatBytes(bytes: number): string {
  const [amount, unit] =
    bytes >= MIB ? [bytes / MIB, "MB"] : bytes >= KIB ? [bytes / KIB, "KB"] : [bytes, "byte"];
  const rounded = Math.round(amount * 10) / 10;
  return `${String(rounded).replace(".", ",")} ${unit}`;
}
