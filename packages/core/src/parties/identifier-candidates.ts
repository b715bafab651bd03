import type { AgencyCode } from "../reference/agencies";
import { foldVietnamese } from "../text/fold";
import {
  normalizePractisingCertificate,
  normalizePressLicence,
  normalizeSocialProfile,
  normalizeTaxCode,
} from "./identifiers";

/** The identifier keys a search text could be, most specific first. */
export function identifierCandidates(q: string, agency: AgencyCode): string[] {
  const keys: string[] = [];
  const tax = normalizeTaxCode(q);
  if (tax.ok) keys.push(`tax:${tax.value}`);
  const press = normalizePressLicence(q);
  if (press.ok) keys.push(`press:${press.value}`);
  const cchn = normalizePractisingCertificate(q);
  if (cchn.ok) keys.push(`cchn:${cchn.value}`);
  if (/[./]/.test(q)) {
    const profile = normalizeSocialProfile(q);
    if (profile.ok) keys.push(`profile:${profile.value.url}`);
  }
  keys.push(`ref:${agency}:${foldVietnamese(q)}`);
  return keys;
}
