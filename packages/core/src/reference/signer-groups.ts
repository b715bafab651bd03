import { z } from "zod";
import type { AgencyCode } from "./agencies";

/** The four pledge families of the provincial plans (Ninh Bình 7.5–7.6, Đồng Tháp, An Giang). */
export const PLEDGE_FAMILIES = ["platform", "media", "public_figure", "medical"] as const;
export const PledgeFamilySchema = z.enum(PLEDGE_FAMILIES);
export type PledgeFamily = z.infer<typeof PledgeFamilySchema>;

export const SIGNER_GROUPS = [
  "ecommerce_platform",
  "social_network",
  "press",
  "news_site",
  "advertiser",
  "kol",
  "artist",
  "athlete",
  "culture_manager",
  "scientist",
  "doctor",
  "health_manager",
] as const;
export const SignerGroupSchema = z.enum(SIGNER_GROUPS);
export type SignerGroup = z.infer<typeof SignerGroupSchema>;

export interface SignerGroupInfo {
  group: SignerGroup;
  family: PledgeFamily;
  /** The default owning agency (cơ quan chủ trì); an admin may change a party's owner with a reason. */
  agency: AgencyCode;
}

/** Source: shared design DOMAIN.md, table "Who signs, and which agency owns them". */
export const SIGNER_GROUP_INFO: Readonly<Record<SignerGroup, SignerGroupInfo>> = {
  ecommerce_platform: { group: "ecommerce_platform", family: "platform", agency: "CT" },
  social_network: { group: "social_network", family: "platform", agency: "CT" },
  press: { group: "press", family: "media", agency: "VHTT" },
  news_site: { group: "news_site", family: "media", agency: "VHTT" },
  advertiser: { group: "advertiser", family: "media", agency: "VHTT" },
  kol: { group: "kol", family: "public_figure", agency: "VHTT" },
  artist: { group: "artist", family: "public_figure", agency: "VHTT" },
  athlete: { group: "athlete", family: "public_figure", agency: "VHTT" },
  culture_manager: { group: "culture_manager", family: "public_figure", agency: "VHTT" },
  scientist: { group: "scientist", family: "medical", agency: "YT" },
  doctor: { group: "doctor", family: "medical", agency: "YT" },
  health_manager: { group: "health_manager", family: "medical", agency: "YT" },
};
